package cmdline

import "testing"

func TestQuoteArg(t *testing.T) {
	tests := map[string]string{
		"plain":      "plain",
		"":           `""`,
		"a b":        `"a b"`,
		"a\tb":       "\"a\tb\"",
		"a\nb":       "\"a\nb\"",
		"a\vb":       "\"a\vb\"",
		`a\b`:        `a\b`,
		`a\`:         `a\`,
		`a b\`:       `"a b\\"`,
		`"quoted"`:   `"\"quoted\""`,
		`\"`:         `"\\\""`,
		`\\server\x`: `\\server\x`,
	}
	for in, want := range tests {
		if got := QuoteArg(in); got != want {
			t.Errorf("QuoteArg(%q) = %s; want %s", in, got, want)
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		exe  string
		args []string
		want string
	}{
		{`C:\w\winsvc.exe`, []string{"host", "Web"}, `C:\w\winsvc.exe host Web`},
		{`C:\Program Files\w\winsvc.exe`, []string{"host", "My App"}, `"C:\Program Files\w\winsvc.exe" host "My App"`},
		{"", nil, `""`},
		{`C:\a.exe`, []string{""}, `C:\a.exe ""`},
	}
	for _, tt := range tests {
		if got := Join(tt.exe, tt.args...); got != tt.want {
			t.Errorf("Join(%q, %q) = %s; want %s", tt.exe, tt.args, got, tt.want)
		}
	}
}
