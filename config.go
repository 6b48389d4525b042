package winsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/trigger"
)

// Field names a setting of a service. The names are the camelCase JSON
// names, and are used in validation errors, plans and Config.Unavailable.
type Field string

func (f Field) String() string { return string(f) }

// The settings of a service.
const (
	FieldDisplayName        Field = "displayName"
	FieldServiceType        Field = "serviceType"
	FieldStartType          Field = "startType"
	FieldDelayedAutoStart   Field = "delayedAutoStart"
	FieldErrorControl       Field = "errorControl"
	FieldBinaryPath         Field = "binaryPathName"
	FieldLoadOrderGroup     Field = "loadOrderGroup"
	FieldTagID              Field = "tagId"
	FieldDependencies       Field = "dependencies"
	FieldServiceStartName   Field = "serviceStartName"
	FieldPassword           Field = "password"
	FieldDescription        Field = "description"
	FieldFailureActions     Field = "failureActions"
	FieldFailureFlag        Field = "failureActionsOnNonCrashFailures"
	FieldSIDType            Field = "sidType"
	FieldRequiredPrivileges Field = "requiredPrivileges"
	FieldPreshutdownTimeout Field = "preshutdownTimeout"
	FieldTriggers           Field = "triggers"
	FieldPreferredNode      Field = "preferredNode"
	FieldLaunchProtected    Field = "launchProtected"
	FieldManagedAccount     Field = "managedAccount"
	FieldProgram            Field = "program" // the program host's settings (Config.Program)
	FieldSecurityDescriptor Field = "securityDescriptor"
)

// Dependency is a service or a load-order group that must start first.
// Its text form is the name, with a "+" prefix for a group (as in sc.exe).
type Dependency struct {
	Name  string
	Group bool
}

// ServiceDependency and GroupDependency build dependencies.
func ServiceDependency(name string) Dependency { return Dependency{Name: name} }
func GroupDependency(name string) Dependency   { return Dependency{Name: name, Group: true} }

// ParseDependency parses "name" or "+group".
func ParseDependency(s string) Dependency {
	if g, ok := strings.CutPrefix(s, "+"); ok {
		return GroupDependency(g)
	}
	return ServiceDependency(s)
}

func (d Dependency) String() string {
	if d.Group {
		return "+" + d.Name
	}
	return d.Name
}

func (d Dependency) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
func (d *Dependency) UnmarshalText(b []byte) error {
	*d = ParseDependency(string(b))
	return nil
}

// Config is a service's full configuration as read from the SCM (observed
// state). A setting that could not be read is listed in Unavailable with
// the error that prevented it (errors.Is works on it: ErrInvalidLevel for a
// setting the SCM does not support, ErrAccessDenied, ...), and its field
// holds the zero value, which for an enum is a Win32 value (SID_TYPE_NONE,
// ...): check Available before reading a setting that may be missing.
type Config struct {
	Name                             string
	DisplayName                      string
	ServiceType                      ServiceType
	StartType                        StartType
	DelayedAutoStart                 bool
	ErrorControl                     ErrorControl
	BinaryPathName                   string // the command line as stored (ImagePath)
	LoadOrderGroup                   string
	TagID                            uint32 // assigned by the SCM; 0 = none (see Definition.RequestTag)
	Dependencies                     []Dependency
	ServiceStartName                 string // the account
	Description                      string
	FailureActions                   FailureActions
	FailureActionsOnNonCrashFailures bool
	SIDType                          SIDType
	RequiredPrivileges               []string
	PreshutdownTimeout               time.Duration
	Triggers                         []trigger.Trigger
	PreferredNode                    PreferredNode
	LaunchProtected                  LaunchProtection
	ManagedAccount                   bool // the account's password is managed by Windows (sc managedaccount)
	// Program is what the program host runs when the service's binary is
	// winsvc.exe host NAME (host.CommandLine); nil: the service is not run
	// by the host. Kept in the service's Parameters registry key.
	Program     *host.Program
	Unavailable map[Field]error

	requestTag bool // Definition.RequestTag: ask for a tag at the next save
}

// Available reports whether f was read successfully.
func (c *Config) Available(f Field) bool {
	_, missing := c.Unavailable[f]
	return !missing
}

func (c *Config) markUnavailable(f Field, err error) {
	if c.Unavailable == nil {
		c.Unavailable = map[Field]error{}
	}
	c.Unavailable[f] = err
}

// errNotRead is the Unavailable error of the optional settings in a
// configuration read by Manager.CoreConfig.
var errNotRead = errors.New("not read: core configuration only")

// markCoreOnly marks every optional (QueryServiceConfig2) setting as not
// read.
func (c *Config) markCoreOnly() {
	for _, r := range config2Settings {
		c.markUnavailable(r.field, errNotRead)
	}
}

// copyField sets field f of c to src's value, and marks it available.
func (c *Config) copyField(src *Config, f Field) {
	r, ok := settingFor(f)
	if !ok {
		return
	}
	if cp := copyRules[f]; cp != nil {
		cp(c, src)
	} else {
		r.put(c, r.get(src))
	}
	delete(c.Unavailable, f)
}

// Value returns setting f's value (the type of its Config field), or the
// error that kept it from being read.
func (c *Config) Value(f Field) (any, error) {
	r, ok := settingFor(f)
	if !ok {
		return nil, invalid("field", f, "not a setting", fieldNames()...)
	}
	if err, missing := c.Unavailable[f]; missing {
		return nil, err
	}
	return r.get(c), nil
}

// ValueJSON returns setting f's value in the form Config's JSON gives it
// (null when it could not be read), and for an unknown field an error.
func (c *Config) ValueJSON(f Field) (json.RawMessage, error) {
	r, ok := settingFor(f)
	if !ok {
		return nil, invalid("field", f, "not a setting", fieldNames()...)
	}
	return c.settingJSON(r)
}

// Fields lists every setting, in the order of Config's fields.
func Fields() []Field {
	out := make([]Field, len(settings))
	for i, r := range settings {
		out[i] = r.field
	}
	return out
}

func fieldNames() []string { return names(Fields()...) }

// Executable returns the program path and the arguments of BinaryPathName
// (an unquoted program path with spaces runs up to its ".exe").
func (c *Config) Executable() (path string, args []string) {
	path, args, _ = SplitCommandLine(normalizeCommandLine(c.BinaryPathName))
	return path, args
}

// UnquotedPath reports whether BinaryPathName leaves a program path with
// spaces unquoted, so that Windows could start a program planted at a
// shorter prefix (C:\Program.exe): a hijackable path, which Save refuses.
func (c *Config) UnquotedPath() bool { return checkCommandLine("", c.BinaryPathName) != nil }

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	n := *c
	for _, r := range settings {
		r.put(&n, r.get(c)) // get copies
	}
	n.Unavailable = maps.Clone(c.Unavailable)
	return &n
}

// MarshalJSON writes the configuration with camelCase names, Win32 enum
// names and times in milliseconds. An unavailable setting is null, with the
// reason under "unavailable".
func (c Config) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	name, _ := json.Marshal(c.Name)
	b.WriteString(`{"name":`)
	b.Write(name)
	for i := range settings {
		r := &settings[i]
		v, err := c.settingJSON(r)
		if err != nil {
			return nil, err
		}
		k, _ := json.Marshal(string(r.field))
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	reasons := make(map[Field]string, len(c.Unavailable))
	for f, err := range c.Unavailable {
		reasons[f] = err.Error()
	}
	enc, err := json.Marshal(reasons)
	if err != nil {
		return nil, err
	}
	b.WriteString(`,"unavailable":`)
	b.Write(enc)
	b.WriteByte('}')
	return b.Bytes(), nil
}
