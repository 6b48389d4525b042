package winsvc

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Field names a setting of a service. The names are the camelCase JSON
// names, and are used in validation errors, plans and Config.Unavailable.
type Field string

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
// state). A setting that could not be read is listed in Unavailable with the
// reason, and its field holds the zero value.
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
	Triggers                         []Trigger
	PreferredNode                    PreferredNode
	LaunchProtected                  LaunchProtection
	Unavailable                      map[Field]string

	requestTag bool // Definition.RequestTag: ask for a tag at the next save
}

// Available reports whether f was read successfully.
func (c *Config) Available(f Field) bool {
	_, missing := c.Unavailable[f]
	return !missing
}

func (c *Config) markUnavailable(f Field, reason string) {
	if c.Unavailable == nil {
		c.Unavailable = map[Field]string{}
	}
	c.Unavailable[f] = reason
}

// notReadCoreOnly is the Unavailable reason for the optional settings of a
// configuration read by Manager.CoreConfig.
const notReadCoreOnly = "not read: core configuration only"

// markCoreOnly marks every optional (QueryServiceConfig2) setting as not
// read.
func (c *Config) markCoreOnly() {
	for _, set := range config2Settings {
		c.markUnavailable(set.field, notReadCoreOnly)
	}
}

// copyField sets field f of c to src's value (slices are copied).
func (c *Config) copyField(src *Config, f Field) {
	switch f {
	case FieldDisplayName:
		c.DisplayName = src.DisplayName
	case FieldServiceType:
		c.ServiceType = src.ServiceType
	case FieldStartType:
		c.StartType = src.StartType
	case FieldDelayedAutoStart:
		c.DelayedAutoStart = src.DelayedAutoStart
	case FieldErrorControl:
		c.ErrorControl = src.ErrorControl
	case FieldBinaryPath:
		c.BinaryPathName = src.BinaryPathName
	case FieldLoadOrderGroup:
		c.LoadOrderGroup = src.LoadOrderGroup
	case FieldTagID:
		c.requestTag = src.requestTag
	case FieldDependencies:
		c.Dependencies = slices.Clone(src.Dependencies)
	case FieldServiceStartName:
		c.ServiceStartName = src.ServiceStartName
	case FieldDescription:
		c.Description = src.Description
	case FieldFailureActions:
		c.FailureActions = src.FailureActions
		c.FailureActions.Actions = slices.Clone(src.FailureActions.Actions)
	case FieldFailureFlag:
		c.FailureActionsOnNonCrashFailures = src.FailureActionsOnNonCrashFailures
	case FieldSIDType:
		c.SIDType = src.SIDType
	case FieldRequiredPrivileges:
		c.RequiredPrivileges = slices.Clone(src.RequiredPrivileges)
	case FieldPreshutdownTimeout:
		c.PreshutdownTimeout = src.PreshutdownTimeout
	case FieldTriggers:
		c.Triggers = cloneTriggers(src.Triggers)
	case FieldPreferredNode:
		c.PreferredNode = src.PreferredNode
	case FieldLaunchProtected:
		c.LaunchProtected = src.LaunchProtected
	default:
		return
	}
	delete(c.Unavailable, f)
}

// Executable returns the program path and the arguments of BinaryPathName.
// An unquoted program path with spaces is read as NormalizeBinaryPath reads
// it (up to its ".exe"), which is the program Windows ends up starting when
// no shorter prefix of the path names one.
func (c *Config) Executable() (path string, args []string) {
	path, args, _ = SplitCommandLine(NormalizeBinaryPath(c.BinaryPathName))
	return path, args
}

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	n := *c
	n.Dependencies = slices.Clone(c.Dependencies)
	n.RequiredPrivileges = slices.Clone(c.RequiredPrivileges)
	n.FailureActions.Actions = slices.Clone(c.FailureActions.Actions)
	n.Triggers = cloneTriggers(c.Triggers)
	if c.Unavailable != nil {
		n.Unavailable = make(map[Field]string, len(c.Unavailable))
		for k, v := range c.Unavailable {
			n.Unavailable[k] = v
		}
	}
	return &n
}

// MarshalJSON writes the configuration with camelCase names, Win32 enum
// names and times in milliseconds. An unavailable setting is null, with its
// reason under "unavailable".
func (c Config) MarshalJSON() ([]byte, error) {
	deps := make([]string, 0, len(c.Dependencies))
	for _, d := range c.Dependencies {
		deps = append(deps, d.String())
	}
	privs := c.RequiredPrivileges
	if privs == nil {
		privs = []string{}
	}
	triggers := c.Triggers
	if triggers == nil {
		triggers = []Trigger{}
	}
	fields := []struct {
		f Field
		v any
	}{
		{"name", c.Name}, {FieldDisplayName, c.DisplayName}, {FieldServiceType, c.ServiceType},
		{FieldStartType, c.StartType}, {FieldDelayedAutoStart, c.DelayedAutoStart},
		{FieldErrorControl, c.ErrorControl}, {FieldBinaryPath, c.BinaryPathName},
		{FieldLoadOrderGroup, c.LoadOrderGroup}, {FieldTagID, c.TagID}, {FieldDependencies, deps},
		{FieldServiceStartName, c.ServiceStartName}, {FieldDescription, c.Description},
		{FieldFailureActions, c.FailureActions}, {FieldFailureFlag, c.FailureActionsOnNonCrashFailures},
		{FieldSIDType, c.SIDType}, {FieldRequiredPrivileges, privs},
		{FieldPreshutdownTimeout, c.PreshutdownTimeout.Milliseconds()},
		{FieldTriggers, triggers}, {FieldPreferredNode, c.PreferredNode},
		{FieldLaunchProtected, c.LaunchProtected},
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(string(kv.f))
		b.Write(k)
		b.WriteByte(':')
		v := any(nil)
		if c.Available(kv.f) {
			v = kv.v
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(enc)
	}
	unavailable := c.Unavailable
	if unavailable == nil {
		unavailable = map[Field]string{}
	}
	enc, err := json.Marshal(unavailable)
	if err != nil {
		return nil, err
	}
	b.WriteString(`,"unavailable":`)
	b.Write(enc)
	b.WriteByte('}')
	return b.Bytes(), nil
}
