package winsvc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/winsvc/winsvc/internal/valerr"
)

// maxNameLength is the longest service or display name the SCM accepts, in
// UTF-16 code units (a character outside the Basic Multilingual Plane, such
// as an emoji, takes two).
const maxNameLength = 256

// validateServiceName checks a service key name: 1 to 256 UTF-16 code
// units, no '/' or '\', no NUL.
func validateServiceName(name string) error {
	return validateName("name", name, false)
}

func validateName(field, name string, emptyOK bool) error {
	n := utf16Len(name)
	switch {
	case name == "" && !emptyOK:
		return invalid(field, name, "must not be empty")
	case n > maxNameLength:
		return invalid(field, name, fmt.Sprintf("is %d UTF-16 code units long; the limit is %d", n, maxNameLength))
	case strings.ContainsAny(name, "/\\"):
		return invalid(field, name, `must not contain "/" or "\"`)
	case strings.ContainsRune(name, 0):
		return invalid(field, name, "must not contain NUL")
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units, the unit of the SCM's
// limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// Validate checks the values the definition sets, each on its own: names,
// allowed enum values, quoting. Completeness (a binary path to create) and
// combinations that depend on the resulting configuration (delayed start
// needs AUTO_START, ...) are checked by Save.
func (d *Definition) Validate() error {
	if err := validateServiceName(d.Name); err != nil {
		return err
	}
	if err := d.checkProgram(); err != nil {
		return err
	}
	c := defaultConfig(d.Name)
	c.Program = keptStandIn(d.Program) // what a variable named alone keeps is checked where it is applied
	d.applyTo(c)
	return c.validateValues()
}

var (
	creatableTypes = []ServiceType{KernelDriver, FileSystemDriver, Adapter, RecognizerDriver, Win32OwnProcess,
		Win32ShareProcess, UserOwnProcess, UserShareProcess, InteractiveOwnProcess, InteractiveShareProcess}
	builtinAccounts = []string{"LocalSystem", `NT AUTHORITY\LocalService`, `NT AUTHORITY\NetworkService`,
		`.\LocalSystem`, `NT AUTHORITY\SYSTEM`}
)

func names[T fmt.Stringer](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// fieldCheck is one validation rule and the fields whose values it reads.
type fieldCheck struct {
	fields []Field
	check  func(c *Config) error
}

// valueChecks check each value on its own: the check of each row of the
// setting table that has one.
var valueChecks = func() []fieldCheck {
	var out []fieldCheck
	for i := range settings {
		r := &settings[i]
		if r.check != nil {
			out = append(out, fieldCheck{[]Field{r.field}, func(c *Config) error { return r.check(r.get(c)) }})
		}
	}
	return out
}()

func checkDisplayName(name string) error {
	if n := utf16Len(name); n > maxNameLength || strings.ContainsRune(name, 0) {
		return invalid(string(FieldDisplayName), name, fmt.Sprintf("must be at most %d UTF-16 code units (it is %d), without NUL", maxNameLength, n))
	}
	return nil
}

func checkServiceType(t ServiceType) error {
	if !slices.Contains(creatableTypes, t) {
		return invalid(string(FieldServiceType), t, "", names(creatableTypes...)...)
	}
	return nil
}

func checkDependencies(deps []Dependency) error {
	for i, d := range deps {
		if err := validateName(fmt.Sprintf("%s[%d]", FieldDependencies, i), d.Name, false); err != nil {
			return err
		}
	}
	return nil
}

// combinationChecks check that a configuration is complete and the
// combinations the SCM documents as invalid (some of which Wine's SCM does
// not check).
var combinationChecks = []fieldCheck{
	{[]Field{FieldBinaryPath}, func(c *Config) error {
		if strings.TrimSpace(c.BinaryPathName) == "" {
			return invalid(string(FieldBinaryPath), c.BinaryPathName, "is required")
		}
		return checkCommandLine(string(FieldBinaryPath), c.BinaryPathName)
	}},
	{[]Field{FieldStartType, FieldServiceType}, func(c *Config) error {
		if (c.StartType == BootStart || c.StartType == SystemStart) && !c.ServiceType.IsDriver() {
			return invalid(string(FieldStartType), c.StartType, "BOOT_START and SYSTEM_START are for drivers only",
				names(AutoStart, DemandStart, Disabled)...)
		}
		return nil
	}},
	{[]Field{FieldDelayedAutoStart, FieldStartType, FieldLoadOrderGroup, FieldServiceType}, func(c *Config) error {
		switch {
		case c.DelayedAutoStart && c.ServiceType.IsDriver():
			return invalid(string(FieldDelayedAutoStart), true, fmt.Sprintf("delayed start is for services, not a %s", c.ServiceType))
		case c.DelayedAutoStart && c.StartType != AutoStart:
			return invalid(string(FieldDelayedAutoStart), true, fmt.Sprintf("delayed start needs AUTO_START, not %s", c.StartType))
		case c.DelayedAutoStart && c.LoadOrderGroup != "":
			return invalid(string(FieldDelayedAutoStart), true, fmt.Sprintf("a delayed auto-start service cannot be in a load-order group (%s)", valerr.Quote(c.LoadOrderGroup)))
		}
		return nil
	}},
	{[]Field{FieldTagID, FieldLoadOrderGroup}, func(c *Config) error {
		if c.requestTag && c.LoadOrderGroup == "" {
			return invalid(string(FieldTagID), "requested", "a tag orders services within a load-order group; set loadOrderGroup too")
		}
		return nil
	}},
	{[]Field{FieldServiceType, FieldServiceStartName}, func(c *Config) error {
		if c.ServiceType.Interactive() && !isLocalSystem(c.ServiceStartName) {
			return invalid(string(FieldServiceType), c.ServiceType, fmt.Sprintf("interactive services must run as LocalSystem, not %s", valerr.Quote(c.ServiceStartName)))
		}
		return nil
	}},
	{[]Field{FieldDependencies}, func(c *Config) error {
		for i, d := range c.Dependencies {
			if !d.Group && strings.EqualFold(d.Name, c.Name) {
				return invalid(fmt.Sprintf("%s[%d]", FieldDependencies, i), d.Name, "a service cannot depend on itself")
			}
		}
		return nil
	}},
}

// validate checks a whole configuration before it is saved: each value,
// that it is complete, and the invalid combinations. When changed is not
// nil, only the rules that read a changed field run: a value the SCM
// already holds (an unknown type or privilege another tool wrote, say)
// never blocks a save that does not touch it.
func (c *Config) validate(changed func(Field) bool) error {
	if err := validateName("name", c.Name, false); err != nil {
		return err
	}
	return c.runChecks(changed, valueChecks, combinationChecks)
}

// validateValues checks each value on its own; it is what a partial
// Definition (for Apply) must pass.
func (c *Config) validateValues() error {
	if err := validateName("name", c.Name, false); err != nil {
		return err
	}
	return c.runChecks(nil, valueChecks)
}

func (c *Config) runChecks(changed func(Field) bool, lists ...[]fieldCheck) error {
	for _, list := range lists {
		for _, fc := range list {
			if changed != nil && !slices.ContainsFunc(fc.fields, changed) {
				continue
			}
			if err := fc.check(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f FailureActions) validate() error {
	const field = string(FieldFailureActions)
	if !f.ResetPeriod.Infinite() && time.Duration(f.ResetPeriod)/time.Second >= math.MaxUint32 {
		return invalid(field+".resetPeriod", time.Duration(f.ResetPeriod), "must be below 4294967295 s, or INFINITE")
	}
	if err := checkText(field + ".rebootMessage")(f.RebootMessage); err != nil {
		return err
	}
	if err := checkText(field + ".command")(f.Command); err != nil {
		return err
	}
	for i, a := range f.Actions {
		if !actionTypeSpec.Known(uint32(a.Type)) {
			return invalid(fmt.Sprintf("%s.actions[%d].type", field, i), a.Type, "", actionTypeSpec.AllowedNames()...)
		}
		if err := checkMilliseconds(fmt.Sprintf("%s.actions[%d].delay", field, i))(a.Delay); err != nil {
			return err
		}
	}
	return nil
}

func isLocalSystem(account string) bool {
	return account == "" || strings.EqualFold(account, "LocalSystem") || strings.EqualFold(account, `.\LocalSystem`) ||
		strings.EqualFold(account, `NT AUTHORITY\SYSTEM`)
}

// accountKind classifies a service account for the password rules.
type accountKind int

// Account kinds.
const (
	accountUser    accountKind = iota // a local or domain user: needs a password
	accountBuiltin                    // LocalSystem, LocalService, NetworkService: no password
	accountVirtual                    // NT SERVICE\<name>: no password (NULL)
	accountManaged                    // a (group) managed service account, DOMAIN\name$: no password (NULL)
)

// NeedsPassword reports whether a service running as account needs a
// password: a local or domain user does; LocalSystem, LocalService,
// NetworkService, virtual accounts (NT SERVICE\name) and managed service
// accounts (DOMAIN\name$) have none.
func NeedsPassword(account string) bool { return classifyAccount(account) == accountUser }

// classifyAccount says what kind of account name is.
func classifyAccount(name string) accountKind {
	for _, b := range builtinAccounts {
		if strings.EqualFold(b, name) {
			return accountBuiltin
		}
	}
	if name == "" {
		return accountBuiltin
	}
	if len(name) > 11 && strings.EqualFold(name[:11], `NT SERVICE\`) {
		return accountVirtual
	}
	if strings.HasSuffix(name, "$") {
		return accountManaged
	}
	return accountUser
}

// validatePassword checks that a password is given only for accounts that
// use one, and holds no NUL.
func validatePassword(account, password string) error {
	if password == "" {
		return nil
	}
	if strings.ContainsRune(password, 0) {
		return invalid(string(FieldPassword), "(hidden)", "must not contain NUL (the SCM would keep only what comes before it)")
	}
	switch classifyAccount(account) {
	case accountBuiltin:
		return invalid(string(FieldPassword), "(hidden)", fmt.Sprintf("%s has no password; pass an empty password", valerr.Shorten(account)))
	case accountVirtual, accountManaged:
		return invalid(string(FieldPassword), "(hidden)", fmt.Sprintf("virtual and managed accounts (%s) take no password; Windows manages it", valerr.Shorten(account)))
	}
	return nil
}

// validateLaunchProtection checks a launch protection level to be written
// (SERVICE_CONFIG_LAUNCH_PROTECTED). Microsoft's SERVICE_LAUNCH_PROTECTED_INFO
// page (learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_launch_protected_info)
// says:
//
//   - "The SERVICE_LAUNCH_PROTECTED_WINDOWS and
//     SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT protection types are reserved
//     for internal Windows use only", so they are rejected here, naming the
//     values a caller may write: NONE and ANTIMALWARE_LIGHT;
//   - "In order to apply any protection type to a service, the service must
//     be signed with an appropriate certificate": ANTIMALWARE_LIGHT is for
//     anti-malware vendors (an ELAM-signed binary) and the SCM checks that,
//     not this package;
//   - "Once the service is launched as protected, other unprotected
//     processes will not be able to call" ChangeServiceConfig,
//     ChangeServiceConfig2, ControlService, ControlServiceEx, DeleteService
//     or SetServiceObjectSecurity on it: after a protected service has
//     started, an unprotected caller (winsvc included) can no longer change,
//     stop, delete or re-secure it, nor lower its protection.
//
// Values already stored on a service are never re-checked unless the
// caller writes the field.
func validateLaunchProtection(p LaunchProtection) error {
	switch p {
	case LaunchProtectedNone, LaunchProtectedAntimalwareLight:
		return nil
	case LaunchProtectedWindows, LaunchProtectedWindowsLight:
		return invalid(string(FieldLaunchProtected), p,
			"reserved for Windows' own services (SERVICE_LAUNCH_PROTECTED_INFO); a service may be given NONE, or ANTIMALWARE_LIGHT if its binary is signed for it",
			names(LaunchProtectedNone, LaunchProtectedAntimalwareLight)...)
	}
	return invalid(string(FieldLaunchProtected), p, "", names(LaunchProtectedNone, LaunchProtectedAntimalwareLight)...)
}
