package winsvc

import (
	"reflect"
	"testing"
)

// TestCoreArgumentsComeFromTheTable checks that the setting table is the one
// place that maps a core setting to ChangeServiceConfig's arguments: every
// argument of coreChange but the password is filled by exactly one row's
// core, and what the call lists as written (which the in-memory SCM
// applies) is what the rows put, value for value.
func TestCoreArgumentsComeFromTheTable(t *testing.T) {
	filledBy := map[string][]Field{}
	for _, r := range settings {
		if r.level != 0 {
			continue
		}
		if r.core == nil {
			t.Errorf("%s: a core setting without a ChangeServiceConfig argument", r.field)
			continue
		}
		v := sampleValues[r.field]
		if r.field == FieldTagID {
			v = uint32(1)
		}
		cc := &coreChange{}
		r.core(cc, v)
		e := reflect.ValueOf(cc).Elem()
		for i := 0; i < e.NumField(); i++ {
			if f := e.Type().Field(i); f.IsExported() && f.Name != "Password" && !e.Field(i).IsZero() {
				filledBy[f.Name] = append(filledBy[f.Name], r.field)
			}
		}
		want := map[Field]any{r.field: v}
		if r.field == FieldTagID {
			want[r.field] = nil // asked for: the SCM assigns it
		}
		if r.field == FieldServiceStartName {
			want[FieldPassword] = "" // a built-in account's empty password
		}
		if got := cc.written(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: written() = %#v; want %#v", r.field, got, want)
		}
	}
	args := reflect.TypeOf(coreChange{})
	for i := 0; i < args.NumField(); i++ {
		if f := args.Field(i); f.IsExported() && f.Name != "Password" && len(filledBy[f.Name]) != 1 {
			t.Errorf("ChangeServiceConfig's argument %s is filled by the rows %v; want exactly one", f.Name, filledBy[f.Name])
		}
	}
}
