package module

import (
	"strings"
	"testing"

	"github.com/winsvc/winsvc/winsvctest"
)

// Every option of the modules, given a huge value of every kind (and a
// huge unknown option, and a definition with huge keys and values), fails
// or succeeds with a message whose lines are short.
func TestHugeValuesGiveShortMessages(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Big", "path": `C:\svc.exe`}}, true)
	huge := strings.Repeat("x", 20_000)
	values := []any{huge, []any{huge, 1}, map[string]any{huge: huge, "type": huge, "startType": huge}, []any{map[string]any{"type": huge, huge: 1}}}
	for _, mod := range []*Module{Service, Info} {
		var tasks []map[string]any
		for _, o := range mod.Options {
			for _, v := range values {
				tasks = append(tasks, map[string]any{"name": "Big", o.Name: v})
			}
		}
		tasks = append(tasks, map[string]any{"name": "Big", huge: 1}, map[string]any{"name": huge})
		for _, args := range tasks {
			r, _ := runTask(t, m, mod, task{args: args, check: true})
			msg, _ := r["msg"].(string)
			for _, line := range strings.Split(msg, "\n") {
				if len(line) > 1024 {
					t.Errorf("%s: a message line of %d bytes: %.300s", mod.Name, len(line), line)
					break
				}
			}
		}
	}
}

// An arguments file beyond the limits of a document is refused, naming
// the limit, in the document's words.
func TestArgumentsFileBounds(t *testing.T) {
	for in, want := range map[string]string{
		`{"name": "` + strings.Repeat("x", 17<<20) + `"}`:                             "larger than 16 MiB, the limit",
		`{"definition": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`: "values nest deeper than 64 levels, the limit",
		`[1, 2]`:               "not a JSON object: expected a mapping, got a list",
		`{"_ansible_diff": 1}`: "_ansible_diff: expected true or false, got a number",
	} {
		_, err := ParseArgs([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || len(err.Error()) > 200 {
			t.Errorf("ParseArgs(%.30s…) = %.300v; want %q", in, err, want)
		}
	}
}
