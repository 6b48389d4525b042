package badinput

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	several, err := parse("87/3\ta & b\tplan $DOC\n")
	if err != nil || len(several) != 1 || several[0].Errors != 3 || several[0].Mention != "a & b" {
		t.Errorf("parse of 87/3 = %+v, %v", several, err)
	}
	cases, err := parse("# comment\n## group A\n87\tstart=\tconfig $SVC start= `C:\\a b` \"\" x\n\n1060\tgone\tqc $NEW\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Case{
		{Line: 3, Group: "group A", Code: 87, Errors: 1, Mention: "start=", Args: []string{"config", "$SVC", "start=", `C:\a b`, "", "x"}},
		{Line: 5, Group: "group A", Code: 1060, Errors: 1, Mention: "gone", Args: []string{"qc", "$NEW"}},
	}
	if len(cases) != 2 || !slices.EqualFunc(cases, want, func(a, b Case) bool {
		return a.Line == b.Line && a.Group == b.Group && a.Code == b.Code && a.Errors == b.Errors && a.Mention == b.Mention && slices.Equal(a.Args, b.Args)
	}) {
		t.Errorf("parse = %+v, want %+v", cases, want)
	}
	for _, bad := range []string{"87 start= config X\n", "x\tm\tqc X\n", "87\tm\tqc `X\n", "87/0\tm\tqc X\n", "87/x\tm\tqc X\n"} {
		if _, err := parse(bad); err == nil {
			t.Errorf("parse(%q) accepted it", bad)
		}
	}
	args, err := cases[0].Expand(map[string]string{"SVC": "S"})
	if err != nil || args[1] != "S" || cases[0].Service(map[string]string{"SVC": "S"}) != "S" {
		t.Errorf("Expand = %q, %v", args, err)
	}
	if _, err := cases[1].Expand(map[string]string{}); err == nil {
		t.Error("Expand without a value for $NEW succeeded")
	}
}

// TestCheck: each way a run can be wrong is reported.
func TestCheck(t *testing.T) {
	c := Case{Code: 87, Mention: "start=", Args: []string{"config", "$SVC", "start=", "x"}}
	vars := map[string]string{"SVC": "S"}
	okJSON := `{"error":{"op":"config","service":"S","code":87,"codeName":"ERROR_INVALID_PARAMETER","message":"start= \"x\""}}` + "\n"
	for _, tt := range []struct {
		json           bool
		code           int
		stdout, stderr string
		want           string // "" for no complaint
	}{
		{false, 87, "", "winsvc: config \"S\": start= \"x\"\n", ""},
		{true, 87, "", okJSON, ""},
		{false, 1, "", "winsvc: start= x\n", "exit 1, want 87"},
		{false, 87, "out", "winsvc: start= x\n", "stdout not empty"},
		{false, 87, "", "winsvc: type= x\n", `does not mention "start="`},
		{false, 87, "", "start= x\n", "does not start with"},
		{false, 87, "", "winsvc: start= x hunter2\n", "password is shown"},
		{false, 87, "", "winsvc: start= x\nmore\n", "2 lines of errors, want 1"},
		{false, 87, "", "winsvc: start= " + strings.Repeat("x", MaxErrorLine) + "\n", "an error line of 1039 bytes"},
		{true, 87, "", "winsvc: start= x\n", "not a JSON error"},
		{true, 87, "", strings.Replace(okJSON, `"S"`, `""`, 1), "does not name the service"},
		{true, 87, "", strings.Replace(okJSON, `"codeName":"ERROR_INVALID_PARAMETER",`, "", 1), "lacks"},
	} {
		got := strings.Join(c.Check(vars, tt.json, tt.code, tt.stdout, tt.stderr), "; ")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("Check(%v, %d, %q, %q) = %q, want %q", tt.json, tt.code, tt.stdout, tt.stderr, got, tt.want)
		}
	}
}

// A case that reports several errors wants that many lines, each
// mentioning its text.
func TestCheckSeveralErrors(t *testing.T) {
	c := Case{Code: 87, Errors: 2, Mention: "startType & errorControl", Args: []string{"plan", "$DOC"}}
	ok := "winsvc: plan: a.yaml:3:16: startType\nwinsvc: plan: a.yaml:4:19: errorControl\n"
	if bad := c.Check(nil, false, 87, "", ok); len(bad) > 0 {
		t.Errorf("Check = %q", bad)
	}
	if bad := strings.Join(c.Check(nil, false, 87, "", "winsvc: plan: a.yaml:3:16: startType\n"), "; "); !strings.Contains(bad, "1 lines of errors, want 2") || !strings.Contains(bad, `mention "errorControl"`) {
		t.Errorf("Check of one error = %q", bad)
	}
}
