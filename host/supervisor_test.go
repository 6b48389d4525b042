package host

import "testing"

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"ProgramData": `C:\ProgramData`, "A": "x", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for in, want := range map[string]string{
		`%ProgramData%\winsvc\Web\host.log`: `C:\ProgramData\winsvc\Web\host.log`,
		`%UNSET%\%A%`:                       `%UNSET%\x`,
		`100%`:                              `100%`,
		`%%A%`:                              `%x`,
		`a%EMPTY%b`:                         `ab`,
		`%A%%A%`:                            `xx`,
	} {
		if got := expandEnv(in, lookup); got != want {
			t.Errorf("expandEnv(%q) = %q; want %q", in, got, want)
		}
	}
}
