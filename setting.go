package winsvc

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/enum"
	"github.com/winsvc/winsvc/internal/strictjson"

	"github.com/winsvc/winsvc/trigger"
)

// The setting table: one row per setting of a service. Config, Definition,
// the plan, the executor and its rollback, JSON and validation are all
// driven by it; none of them names a setting. CONTRIBUTING.md shows how to
// add a setting.

// setting is one row of the table, built from a typed spec (below). Values
// travel as `any` holding the setting's Go type (the type of its Config
// field); an old value is nil when it could not be read.
type setting struct {
	field Field
	level uint32   // ChangeServiceConfig2 info level; 0: a ChangeServiceConfig parameter
	kind  StepKind // the plan step that writes it (StepConfig for level 0)
	// restart: the service reads it when it starts, so that a change made
	// while it runs takes effect at its next start (SaveResult.RestartNeeded).
	restart bool
	// readBack: Save reads the setting again after writing it, because the
	// SCM's success does not prove what it holds (it assigns the value, or
	// may store another form of it). false: the SCM stores what it accepts
	// as given, so its success is proof. Whatever the column says, a setting
	// that could not be read before the write (an SCM that cannot report
	// it, such as Wine's for failure actions, which it accepts and does not
	// store; every setting of a service being created) is read back.
	readBack bool

	// blankUnset: in a Definition's JSON, null and "" leave the setting
	// unset (the enums whose zero value is a Win32 value).
	blankUnset bool
	// created is the value a service has right after CreateService when it
	// is not given the setting: a config2 setting is then written only when
	// the desired value differs; a core one that equals it is given to
	// CreateService as NULL, and the plan's create step does not list it.
	// nil: always written.
	created any
	zero    any

	get    func(c *Config) any
	put    func(c *Config, v any)
	equal  func(a, b any) bool
	clone  func(v any) any
	check  func(v any) error // nil: any value is fine
	text   func(v any) string
	json   func(v any) any
	unjson func(b []byte) (any, error)                // reads what json writes (a Definition's JSON)
	decode func(r *reader, b []byte) (any, error)     // config2: the SCM's reply
	encode func(old, new any) []byte                  // config2: ChangeServiceConfig2's argument
	core   func(cc *coreChange, v any)                // level 0: ChangeServiceConfig's argument (recorded in cc.written)
	defGet func(d *Definition, c *Config) (any, bool) // the value d sets onto c, if any
	defSet func(d *Definition, v any)                 // sets v on d (export)

	// words is how an error names what the setting's JSON takes ("a list
	// of service names"), where its Go type says it poorly; "": from the
	// type (strictjson.Describe).
	words string
}

// spec is a row with typed functions; row turns it into a setting.
type spec[T any] struct {
	field      Field
	level      uint32
	restart    bool
	readBack   bool
	blankUnset bool // in a Definition's JSON, null and "" leave it unset
	created    *T   // the value right after CreateService when not given; nil: always written

	cfg    func(c *Config) *T // the Config field
	def    defField[T]        // the Definition field(s)
	eq     func(a, b T) bool
	clone  func(T) T // default: the value itself
	check  func(T) error
	text   func(T) string            // default: render
	json   func(T) any               // default: the value itself
	unjson func(b []byte) (T, error) // reads json's form; default: json.Unmarshal into a T
	words  string                    // what its JSON takes, in errors; default: from T
	dec    func(r *reader, b []byte) (T, error)
	enc    func(old *T, new T) []byte // old is nil when unknown
	core   func(cc *coreChange, v T)
}

// defField reads and writes a setting's field of a Definition, where an
// unset field is left as is by Apply.
type defField[T any] struct {
	get func(d *Definition, c *Config) (T, bool)
	set func(d *Definition, v T)
}

// defPtr is a pointer field: nil is unset.
func defPtr[T any](p func(d *Definition) **T) defField[T] {
	return defField[T]{
		get: func(d *Definition, _ *Config) (T, bool) {
			if v := *p(d); v != nil {
				return *v, true
			}
			var zero T
			return zero, false
		},
		set: func(d *Definition, v T) { *p(d) = &v },
	}
}

// defList is a slice field: nil is unset, empty clears.
func defList[E any](p func(d *Definition) *[]E) defField[[]E] {
	return defField[[]E]{
		get: func(d *Definition, _ *Config) ([]E, bool) { return *p(d), *p(d) != nil },
		set: func(d *Definition, v []E) {
			if v == nil {
				v = []E{}
			}
			*p(d) = v
		},
	}
}

// defValue is a field whose zero value is unset.
func defValue[T comparable](p func(d *Definition) *T) defField[T] {
	var zero T
	return defField[T]{
		get: func(d *Definition, _ *Config) (T, bool) { return *p(d), *p(d) != zero },
		set: func(d *Definition, v T) { *p(d) = v },
	}
}

func same[T comparable](a, b T) bool { return a == b }

// typed returns v as a T; nil (an unknown value) gives T's zero value.
func typed[T any](v any) T {
	t, _ := v.(T)
	return t
}

func (s spec[T]) row() setting {
	var zero T
	r := setting{field: s.field, level: s.level, restart: s.restart, readBack: s.readBack,
		blankUnset: s.blankUnset, kind: StepConfig, zero: zero, words: s.words}
	if s.level != 0 {
		r.kind = StepKind(s.field)
	}
	if s.created != nil {
		r.created = *s.created
	}
	clone := s.clone
	if clone == nil {
		clone = func(v T) T { return v }
	}
	r.get = func(c *Config) any { return clone(*s.cfg(c)) }
	r.put = func(c *Config, v any) { *s.cfg(c) = clone(typed[T](v)) }
	r.clone = func(v any) any {
		if v == nil {
			return nil
		}
		return clone(typed[T](v))
	}
	r.equal = func(a, b any) bool { return s.eq(typed[T](a), typed[T](b)) }
	if s.check != nil {
		r.check = func(v any) error { return s.check(typed[T](v)) }
	}
	r.text = func(v any) string {
		switch {
		case v == nil:
			return "(unknown)"
		case s.text != nil:
			return s.text(typed[T](v))
		}
		return render(v)
	}
	r.json = func(v any) any {
		if s.json != nil {
			return s.json(typed[T](v))
		}
		return v
	}
	r.unjson = func(b []byte) (any, error) {
		if s.unjson != nil {
			return s.unjson(b)
		}
		var v T
		err := strictjson.Decode(b, &v)
		return v, err
	}
	if s.dec != nil {
		r.decode = func(rd *reader, b []byte) (any, error) { return s.dec(rd, b) }
	}
	if s.enc != nil {
		r.encode = func(old, new any) []byte {
			var o *T
			if old != nil {
				v := typed[T](old)
				o = &v
			}
			return s.enc(o, typed[T](new))
		}
	}
	if s.core != nil {
		r.core = func(cc *coreChange, v any) {
			cc.put(s.field, v)
			s.core(cc, typed[T](v))
		}
	}
	if s.def.get != nil {
		r.defGet = func(d *Definition, c *Config) (any, bool) {
			v, ok := s.def.get(d, c)
			return clone(v), ok
		}
		r.defSet = func(d *Definition, v any) { s.def.set(d, clone(typed[T](v))) }
	}
	return r
}

// The values a service has right after CreateService, for the settings
// it is not given (a core setting given as NULL; the config2 settings).
var (
	noGroup        = ""
	noDependencies = []Dependency(nil)
	noDescription  = ""
	noActions      = FailureActions{}
	flagOff        = false
	noSIDType      = SIDTypeNone
	noPrivileges   = []string(nil)
	noTriggers     = []trigger.Trigger(nil)
	noNode         = PreferredNode{}
	noProtection   = LaunchProtectedNone
)

// settings is the table, in the order of Config's fields and of its JSON
// form. A plan writes the level-0 settings with one ChangeServiceConfig,
// then each config2 setting in the order of its info level.
var settings = []setting{
	spec[string]{field: FieldDisplayName,
		cfg: func(c *Config) *string { return &c.DisplayName },
		def: defValue(func(d *Definition) *string { return &d.DisplayName }),
		eq:  same[string], check: checkDisplayName,
		core: func(cc *coreChange, v string) { cc.DisplayName = &v },
	}.row(),
	spec[ServiceType]{field: FieldServiceType, restart: true,
		cfg: func(c *Config) *ServiceType { return &c.ServiceType },
		def: defValue(func(d *Definition) *ServiceType { return &d.ServiceType }),
		eq:  same[ServiceType], check: checkServiceType,
		core: func(cc *coreChange, v ServiceType) { cc.ServiceType = &v },
	}.row(),
	spec[StartType]{field: FieldStartType, blankUnset: true,
		cfg: func(c *Config) *StartType { return &c.StartType },
		def: defPtr(func(d *Definition) **StartType { return &d.StartType }),
		eq:  same[StartType], check: checkEnum[StartType](FieldStartType, &startTypeSpec),
		core: func(cc *coreChange, v StartType) { cc.StartType = &v },
	}.row(),
	spec[bool]{field: FieldDelayedAutoStart, level: 3, created: &flagOff,
		cfg: func(c *Config) *bool { return &c.DelayedAutoStart },
		def: defPtr(func(d *Definition) **bool { return &d.DelayedAutoStart }),
		eq:  same[bool], dec: decodeBool, enc: encodeBool,
	}.row(),
	spec[ErrorControl]{field: FieldErrorControl, blankUnset: true,
		cfg: func(c *Config) *ErrorControl { return &c.ErrorControl },
		def: defPtr(func(d *Definition) **ErrorControl { return &d.ErrorControl }),
		eq:  same[ErrorControl], check: checkEnum[ErrorControl](FieldErrorControl, &errorControlSpec),
		core: func(cc *coreChange, v ErrorControl) { cc.ErrorControl = &v },
	}.row(),
	spec[string]{field: FieldBinaryPath, restart: true,
		cfg: func(c *Config) *string { return &c.BinaryPathName },
		def: defField[string]{get: commandLineOf, set: setCommandLine},
		eq:  same[string], check: checkText(string(FieldBinaryPath)),
		core: func(cc *coreChange, v string) { cc.BinaryPathName = &v },
	}.row(),
	spec[string]{field: FieldLoadOrderGroup, created: &noGroup,
		cfg: func(c *Config) *string { return &c.LoadOrderGroup },
		def: defPtr(func(d *Definition) **string { return &d.LoadOrderGroup }),
		eq:  same[string], check: func(v string) error { return validateName(string(FieldLoadOrderGroup), v, true) },
		core: func(cc *coreChange, v string) { cc.LoadOrderGroup = &v },
	}.row(),
	tagSetting(),
	spec[[]Dependency]{field: FieldDependencies, created: &noDependencies,
		cfg: func(c *Config) *[]Dependency { return &c.Dependencies },
		def: defList(func(d *Definition) *[]Dependency { return &d.Dependencies }),
		eq:  sameDependencies, clone: slices.Clone[[]Dependency], check: checkDependencies,
		json: func(v []Dependency) any { return nonNil(v) }, words: "a list of service names (+NAME for a group)",
		core: func(cc *coreChange, v []Dependency) {
			cc.Dependencies = nonNil(v)
			cc.put(FieldDependencies, cc.Dependencies)
		},
	}.row(),
	// Read back: the SCM may keep another form of the account name than
	// the one given (for LocalSystem, say).
	spec[string]{field: FieldServiceStartName, restart: true, readBack: true,
		cfg:   func(c *Config) *string { return &c.ServiceStartName },
		def:   defValue(func(d *Definition) *string { return &d.ServiceStartName }),
		eq:    strings.EqualFold, // Windows account names are case-insensitive
		check: checkText(string(FieldServiceStartName)),
		core: func(cc *coreChange, v string) {
			cc.Account = &v
			if classifyAccount(v) == accountBuiltin && cc.Password == nil {
				cc.setPassword("") // built-in accounts take an empty password
			}
		},
	}.row(),
	spec[string]{field: FieldDescription, level: 1, created: &noDescription,
		cfg: func(c *Config) *string { return &c.Description },
		def: defPtr(func(d *Definition) **string { return &d.Description }),
		eq:  same[string], check: checkText(string(FieldDescription)),
		dec: func(r *reader, _ []byte) (string, error) { return r.strPtr(0) },
		enc: func(_ *string, v string) []byte { return encodeString(&v) },
	}.row(),
	spec[FailureActions]{field: FieldFailureActions, level: 2, created: &noActions,
		cfg: func(c *Config) *FailureActions { return &c.FailureActions },
		def: defPtr(func(d *Definition) **FailureActions { return &d.FailureActions }),
		eq:  FailureActions.Equal, clone: FailureActions.clone, check: FailureActions.validate,
		text: FailureActions.text,
		dec:  func(_ *reader, b []byte) (FailureActions, error) { return decodeFailureActions(b) },
		enc:  encodeFailureActions,
	}.row(),
	spec[bool]{field: FieldFailureFlag, level: 4, created: &flagOff,
		cfg: func(c *Config) *bool { return &c.FailureActionsOnNonCrashFailures },
		def: defPtr(func(d *Definition) **bool { return &d.FailureActionsOnNonCrashFailures }),
		eq:  same[bool], dec: decodeBool, enc: encodeBool,
	}.row(),
	spec[SIDType]{field: FieldSIDType, level: 5, restart: true, blankUnset: true, created: &noSIDType,
		cfg: func(c *Config) *SIDType { return &c.SIDType },
		def: defPtr(func(d *Definition) **SIDType { return &d.SIDType }),
		eq:  same[SIDType], check: checkEnum[SIDType](FieldSIDType, &sidTypeSpec),
		dec: func(r *reader, _ []byte) (SIDType, error) {
			v, err := r.u32(0)
			return SIDType(v), err
		},
		enc: func(_ *SIDType, v SIDType) []byte { return encodeU32(uint32(v)) },
	}.row(),
	spec[[]string]{field: FieldRequiredPrivileges, level: 6, restart: true, created: &noPrivileges,
		cfg: func(c *Config) *[]string { return &c.RequiredPrivileges },
		def: defList(func(d *Definition) *[]string { return &d.RequiredPrivileges }),
		eq:  slices.Equal[[]string], clone: slices.Clone[[]string], check: validatePrivileges,
		json:  func(v []string) any { return nonNil(v) },
		words: "a list of privilege names",
		dec:   func(r *reader, _ []byte) ([]string, error) { return r.multiSzPtr(0) },
		enc:   func(_ *[]string, v []string) []byte { return encodeMultiSz(v) },
	}.row(),
	spec[time.Duration]{field: FieldPreshutdownTimeout, level: 7,
		cfg: func(c *Config) *time.Duration { return &c.PreshutdownTimeout },
		def: defPtr(func(d *Definition) **time.Duration { return &d.PreshutdownTimeout }),
		eq:  same[time.Duration], check: checkMilliseconds(string(FieldPreshutdownTimeout)),
		json: func(v time.Duration) any { return v.Milliseconds() }, words: "a whole number of milliseconds",
		unjson: func(b []byte) (time.Duration, error) {
			var ms int64
			err := strictjson.Decode(b, &ms)
			return time.Duration(ms) * time.Millisecond, err
		},
		dec: func(r *reader, _ []byte) (time.Duration, error) {
			v, err := r.u32(0)
			return msDuration(v), err
		},
		enc: func(_ *time.Duration, v time.Duration) []byte { return encodeU32(uint32(v.Milliseconds())) },
	}.row(),
	spec[[]trigger.Trigger]{field: FieldTriggers, level: 8, created: &noTriggers,
		cfg: func(c *Config) *[]trigger.Trigger { return &c.Triggers },
		def: defList(func(d *Definition) *[]trigger.Trigger { return &d.Triggers }),
		eq:  trigger.Equal, clone: trigger.Clone, check: trigger.Validate,
		json: func(v []trigger.Trigger) any { return nonNil(v) },
		dec:  func(_ *reader, b []byte) ([]trigger.Trigger, error) { return decodeTriggers(b) },
		enc:  func(_ *[]trigger.Trigger, v []trigger.Trigger) []byte { return encodeTriggers(v) },
	}.row(),
	// The SCM sets the node of the process it creates (restart); an unset
	// node is a query's error (unsetAnswers, below).
	spec[PreferredNode]{field: FieldPreferredNode, level: 9, restart: true, created: &noNode,
		cfg: func(c *Config) *PreferredNode { return &c.PreferredNode },
		def: defPtr(func(d *Definition) **PreferredNode { return &d.PreferredNode }),
		eq:  same[PreferredNode],
		dec: func(_ *reader, b []byte) (PreferredNode, error) { return decodePreferredNode(b) },
		enc: func(_ *PreferredNode, v PreferredNode) []byte { return encodePreferredNode(v) },
	}.row(),
	spec[LaunchProtection]{field: FieldLaunchProtected, level: 12, restart: true, blankUnset: true, created: &noProtection,
		cfg: func(c *Config) *LaunchProtection { return &c.LaunchProtected },
		def: defPtr(func(d *Definition) **LaunchProtection { return &d.LaunchProtected }),
		eq:  same[LaunchProtection], check: validateLaunchProtection,
		dec: func(r *reader, _ []byte) (LaunchProtection, error) {
			v, err := r.u32(0)
			return LaunchProtection(v), err
		},
		enc: func(_ *LaunchProtection, v LaunchProtection) []byte { return encodeU32(uint32(v)) },
	}.row(),
	// Level 11, which winsvc.h does not name: the SCM's RPC protocol
	// ([MS-SCMR] SC_RPC_CONFIG_INFOW) defines it as
	// SERVICE_MANAGEDACCOUNT_INFO { DWORD fIsManagedAccount; }; the SCM
	// answers a query with one byte. Where the SCM lacks the level, it is
	// read from the registry (registryValues, below); winsvc never writes
	// it.
	spec[bool]{field: FieldManagedAccount, level: levelManagedAccount, restart: true, created: &flagOff,
		cfg: func(c *Config) *bool { return &c.ManagedAccount },
		def: defPtr(func(d *Definition) **bool { return &d.ManagedAccount }),
		eq:  same[bool], dec: decodeBool, enc: encodeBool,
	}.row(),
	programSetting(), // programsetting.go: kept in the Parameters key
}

// tagSetting is the load-order tag: assigned by the SCM, never written. A
// Definition asks for one (RequestTag), which a plan shows as a change of
// tagId to "(assigned by the SCM)" when the service has none.
func tagSetting() setting {
	// Read back: the SCM assigns it.
	r := spec[uint32]{field: FieldTagID, readBack: true, words: "true (to ask for a tag) or a tag number",
		cfg:  func(c *Config) *uint32 { return &c.TagID },
		eq:   same[uint32],
		core: func(cc *coreChange, _ uint32) { cc.RequestTag = true; cc.put(FieldTagID, nil) }, // asked for, no value
	}.row()
	r.text = func(v any) string {
		if v == nil {
			return newTag
		}
		return render(v)
	}
	r.defGet = func(d *Definition, _ *Config) (any, bool) { return true, d.RequestTag }
	// A tag is asked for unless the definition leaves the service out of
	// any group (exporting a tag left over from a group the service has
	// left); the group row comes first in the table.
	r.defSet = func(d *Definition, v any) {
		d.RequestTag = typed[uint32](v) != 0 && (d.LoadOrderGroup == nil || *d.LoadOrderGroup != "")
	}
	// In JSON, true asks for a tag; a number (what Config's JSON shows) asks
	// for one unless it is 0.
	r.unjson = func(b []byte) (any, error) {
		var asked bool
		if strictjson.Decode(b, &asked) == nil {
			return uint32(map[bool]uint32{true: 1}[asked]), nil
		}
		var n uint32
		err := strictjson.Decode(b, &n)
		return n, err
	}
	r.put = func(c *Config, v any) {
		if b, ok := v.(bool); ok { // from a Definition: a request
			c.requestTag = b
		}
	}
	return r
}

// newTag is how a plan shows a tag the SCM is asked to assign.
const newTag = "(assigned by the SCM)"

// Behaviour particular to one setting is declared here, next to its row,
// rather than as a column that every row carries.
var (
	// planRules replace the comparison of two values in a plan. The tag is
	// asked for, not written: it changes from none to one the SCM assigns
	// when a tag is requested and the service has none; the tag itself
	// is the SCM's, and never a conflict.
	planRules = map[Field]func(from, to *Config) (old, new any, ok bool){
		FieldTagID: func(from, to *Config) (old, new any, ok bool) {
			return from.TagID, nil, to.requestTag && from.TagID == 0
		},
	}
	// copyRules replace copying a value between configurations: what is
	// copied of the tag is the request.
	copyRules = map[Field]func(dst, src *Config){
		FieldTagID: func(dst, src *Config) { dst.requestTag = src.requestTag },
	}
	// partRules list the change of a setting made of many fields field by
	// field (Change.Parts): the program block.
	partRules = map[Field]func(old, new any) []Change{
		FieldProgram: func(old, new any) []Change {
			return programParts(typed[*host.Program](old), typed[*host.Program](new))
		},
	}
	// unsetAnswers are the codes with which the SCM answers a query for a
	// setting that is not set, which then reads as its zero value.
	// ERROR_NOT_FOUND for "no preferred node" is observed, not documented
	// (see PreferredNode).
	unsetAnswers = map[Field]Errno{FieldPreferredNode: 1168}
	// registryValues name where the SCM keeps a setting in the service's
	// registry key, read there when the SCM does not support its info
	// level: Windows' services.exe keeps the managed-account flag in
	// ServiceAccountManaged (ScReadServiceManagedAccount); Wine's SCM lacks
	// level 11 but keeps the value.
	registryValues = map[Field]registryValue{
		FieldManagedAccount: {name: regServiceAccountManaged, decode: func(b []byte) any { return flagSet(b) }},
	}
	// beforeWrite runs before a setting is written: a reboot action needs
	// SeShutdownPrivilege enabled in the caller's token.
	beforeWrite = map[Field]func(c scmConn, v any) error{
		FieldFailureActions: func(c scmConn, v any) error {
			if !typed[FailureActions](v).hasReboot() {
				return nil
			}
			if err := c.enablePrivilege("SeShutdownPrivilege"); err != nil {
				return fmt.Errorf("enabling SeShutdownPrivilege for a reboot action: %w", err)
			}
			return nil
		},
	}
)

// registryValue is a registry value of a service's key that holds a
// setting, and how to decode it (an absent value decodes as zero).
type registryValue struct {
	name   string
	decode func(data []byte) any
}

// settingFor returns the row of field f.
func settingFor(f Field) (*setting, bool) {
	for i := range settings {
		if settings[i].field == f {
			return &settings[i], true
		}
	}
	return nil, false
}

// config2Settings lists the config2 rows in the order of their info level,
// the order in which a plan writes them and Load reads them.
var config2Settings = func() []*setting {
	var out []*setting
	for i := range settings {
		if settings[i].level != 0 {
			out = append(out, &settings[i])
		}
	}
	slices.SortFunc(out, func(a, b *setting) int { return int(a.level) - int(b.level) })
	return out
}()

// The small codecs shared by several rows.

func decodeBool(r *reader, _ []byte) (bool, error) {
	v, err := r.u32(0)
	return v != 0, err
}

func encodeBool(_ *bool, v bool) []byte { return encodeU32(boolU32(v)) }

func nonNil[E any](v []E) []E {
	if v == nil {
		return []E{}
	}
	return v
}

// sameDependencies compares dependency lists as the SCM uses them: as sets
// of services and of groups, names compared case-insensitively. (An SCM
// may report services and groups in another order than they were written:
// Wine's registry keeps them in two lists.)
func sameDependencies(a, b []Dependency) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(d Dependency) string { return depKey(d.String()) }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i], kb[i] = key(a[i]), key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// checkEnum refuses a value outside an enum's known values, naming it as
// it prints (an unknown value in hexadecimal: "start= 5" is "0x5") and the
// allowed names.
func checkEnum[T ~uint32](f Field, spec *enum.Spec) func(T) error {
	return func(v T) error {
		if spec.Known(uint32(v)) {
			return nil
		}
		return invalid(string(f), spec.Name(uint32(v)), "", spec.AllowedNames()...)
	}
}

// checkText refuses a string with a NUL: the SCM takes NUL-terminated
// strings, so the rest would be dropped without a word.
func checkText(field string) func(string) error {
	return func(v string) error {
		if strings.ContainsRune(v, 0) {
			return invalid(field, v, "must not contain NUL (the SCM would keep only what comes before it)")
		}
		return nil
	}
}

// checkMilliseconds refuses a duration that does not fit a DWORD of
// milliseconds.
func checkMilliseconds(field string) func(time.Duration) error {
	return func(d time.Duration) error {
		if d < 0 || d.Milliseconds() > math.MaxUint32 {
			return invalid(field, d, "must be between 0 and 4294967295 ms")
		}
		return nil
	}
}

// settingJSON is the JSON form of row r's value in c: null when it is
// unavailable.
func (c *Config) settingJSON(r *setting) (json.RawMessage, error) {
	if !c.Available(r.field) {
		return json.RawMessage("null"), nil
	}
	return json.Marshal(r.json(r.get(c)))
}

// decodeInto decodes the structure the SCM returned for r into c.
func (r *setting) decodeInto(b []byte, c *Config) error {
	v, err := r.decode(newReader(b), b)
	if err != nil {
		return err
	}
	r.put(c, v)
	return nil
}
