package module

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/access"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The service module's options become one service's entry of a desired
// document, in the document's JSON form: the settings under the names of
// `winsvc get --json` (winsvc.Definition's JSON), then state,
// securityDescriptor, password, updatePassword and timeout. desired.Parse
// checks the entry, through the setting table, as it checks a file.

// target is what the options are mapped against: the service as installed.
type target struct {
	ctx    context.Context
	m      *winsvc.Manager
	p      Params
	name   string          // the service's key name
	loaded *winsvc.Config  // nil when the service is not installed
	svc    *winsvc.Service // the loaded entity, nil when not installed
}

// mapping turns options into one key of the entry. value returns the
// key's value, or ok false to leave the key out.
type mapping struct {
	key     string   // the entry's key
	options []string // the options it reads; the first one given names it in errors
	value   func(t *target) (v any, ok bool, err error)
}

// str maps a string option to key as it is.
func str(key, option string) mapping {
	return mapping{key, []string{option}, func(t *target) (any, bool, error) {
		v, ok := t.p.Str(option)
		return v, ok, nil
	}}
}

// plain maps an option of any kind to key with its checked value.
func plain(key, option string) mapping {
	return mapping{key, []string{option}, func(t *target) (any, bool, error) {
		v, ok := t.p[option]
		return v, ok, nil
	}}
}

// words maps a choice option to key through a table of the values the
// document takes (Win32 names, or the words winsvc parses).
func words(key, option string, to map[string]string) mapping {
	return mapping{key, []string{option}, func(t *target) (any, bool, error) {
		v, ok := t.p.Str(option)
		if !ok {
			return nil, false, nil
		}
		if w, found := to[v]; found {
			return w, true, nil
		}
		return v, true, nil
	}}
}

var mappings = []mapping{
	{"binaryPathName", []string{"path", "winsvc_path"}, binaryPath},
	str("displayName", "display_name"),
	str("description", "description"),
	{"startType", []string{"start_mode"}, startType},
	{"delayedAutoStart", []string{"start_mode"}, delayedAutoStart},
	words("errorControl", "error_control", nil),
	{"serviceType", []string{"service_type", "desktop_interact", "username"}, serviceType},
	str("loadOrderGroup", "load_order_group"),
	{"dependencies", []string{"dependencies", "dependency_action"}, dependencies},
	{"serviceStartName", []string{"username"}, account},
	{"failureActions", []string{"failure_actions", "failure_reset_period_sec", "failure_command", "failure_reboot_msg"}, failureActions},
	plain("failureActionsOnNonCrashFailures", "failure_actions_on_non_crash_failure"),
	words("sidType", "sid_info", nil),
	plain("requiredPrivileges", "required_privileges"),
	plain("preshutdownTimeout", "pre_shutdown_timeout_ms"),
	plain("triggers", "triggers"),
	{"preferredNode", []string{"preferred_node"}, func(t *target) (any, bool, error) {
		n, ok := t.p.Int("preferred_node")
		return winsvc.PreferredNode{Node: uint16(n), Set: true}, ok, nil
	}},
	words("launchProtected", "launch_protection", nil),
	{"program", []string{"program"}, program},
	words("state", "state", map[string]string{"started": "running", "restarted": "any"}),
	{"securityDescriptor", []string{"security_descriptor", "grants"}, securityDescriptor},
	{"password", []string{"password"}, func(t *target) (any, bool, error) {
		return passwordRef, hasPassword(t.p), nil
	}},
	{"updatePassword", []string{"update_password"}, func(t *target) (any, bool, error) {
		v, ok := t.p.Str("update_password")
		return v, ok && hasPassword(t.p), nil
	}},
	{"timeout", []string{"timeout"}, func(t *target) (any, bool, error) {
		s, ok := t.p.Int("timeout")
		return (time.Duration(s) * time.Second).String(), ok, nil
	}},
}

// passwordRef is the entry's reference to the password: the module's
// password option, which ApplyAll gets through a Resolver (service.go).
var passwordRef = desired.PasswordRef{Stdin: true}

// hasPassword reports whether a password is to be set: the option given
// and not empty. An empty password is no password, as for win_service
// (playbooks pass password: "" with LocalSystem and the other built-in
// accounts, which have none).
func hasPassword(p Params) bool {
	pw, ok := p.Str("password")
	return ok && pw != ""
}

// optionsOf returns the options that set key, for messages.
func optionsOf(key string) []string {
	for _, mp := range mappings {
		if mp.key == key {
			return mp.options
		}
	}
	return nil
}

// document builds the desired document of t's options: one service.
func document(t *target, name string) (*desired.Document, error) {
	t.name = name
	entry := map[string]any{"name": name}
	for _, mp := range mappings {
		v, ok, err := mp.value(t)
		if err != nil {
			return nil, err
		}
		if ok {
			entry[mp.key] = v
		}
	}
	if def, ok := t.p.JSON("definition"); ok {
		if err := mergeDefinition(entry, def, name); err != nil {
			return nil, err
		}
	}
	if _, set := entry["startType"]; !set && t.loaded == nil {
		entry["startType"] = "auto" // a new service starts automatically, as win_service creates it
	}
	b, err := json.Marshal(map[string]any{"services": []any{entry}})
	if err != nil {
		return nil, err
	}
	doc, err := desired.Parse("", b)
	if err != nil {
		return nil, optionError(err)
	}
	return doc, nil
}

// mergeDefinition adds the keys of the definition option (an entry of a
// desired document) to entry. A key also set by another option is refused:
// which one would win is not obvious.
func mergeDefinition(entry map[string]any, def json.RawMessage, name string) error {
	var keys map[string]json.RawMessage
	if err := strictjson.Decode(def, &keys); err != nil {
		return badOption("definition", "%v", err)
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		v := keys[k]
		if k == "name" {
			var n string
			if json.Unmarshal(v, &n) != nil || !strings.EqualFold(n, name) {
				return badOption("definition", "name %s is not the service's name %q (leave it out)", v, name)
			}
			continue
		}
		if _, set := entry[k]; set {
			return badOption("definition", "it sets %s, which option %s also sets: give it once", k, strings.Join(optionsOf(k), " or "))
		}
		entry[k] = v
	}
	return nil
}

// optionError rewrites a document error to name the module option behind
// the document's key.
func optionError(err error) error {
	var de *desired.Error
	if !errors.As(err, &de) {
		return err
	}
	field, _, _ := strings.Cut(de.Field, ".")
	field, _, _ = strings.Cut(field, "[")
	opts := optionsOf(field)
	msg := de.Err.Error()
	if de.Field != "" && !strings.Contains(msg, de.Field) {
		msg = de.Field + ": " + msg
	}
	if len(opts) == 0 {
		opts = []string{"definition"}
	}
	return &optionErr{options: opts, msg: msg, err: err}
}

// optionErr is an invalid option value, named by its option.
type optionErr struct {
	options []string
	msg     string
	err     error
}

func (e *optionErr) Error() string {
	if len(e.options) == 0 {
		return e.msg
	}
	return fmt.Sprintf("option %s: %s", strings.Join(e.options, "/"), e.msg)
}

// badOption returns the error for a value of option that cannot be used.
// The values among args (strings, JSON) are shown shortened
// (valerr.Shorten).
func badOption(option string, format string, args ...any) error {
	shown := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			a = valerr.Shorten(v)
		case json.RawMessage:
			a = valerr.Shorten(string(v))
		}
		shown[i] = a
	}
	return &optionErr{options: []string{option}, msg: fmt.Sprintf(format, shown...)}
}
func (e *optionErr) Unwrap() error { return e.err }

// startType maps start_mode: delayed is AUTO_START (with the flag, below).
// Without start_mode, a new service starts automatically (document adds
// that default, after the definition option).
func startType(t *target) (any, bool, error) {
	mode, ok := t.p.Str("start_mode")
	if mode == "delayed" {
		mode = "auto"
	}
	return mode, ok, nil
}

// delayedAutoStart: delayed sets the flag, auto clears it (a service moved
// from delayed to plain auto-start really loses the delay). Where the SCM
// cannot report the flag (Wine's), auto leaves it alone.
func delayedAutoStart(t *target) (any, bool, error) {
	mode, _ := t.p.Str("start_mode")
	switch {
	case mode == "delayed":
		return true, true, nil
	case mode == "auto":
		return false, t.loaded == nil || t.loaded.Available(winsvc.FieldDelayedAutoStart), nil
	}
	return nil, false, nil
}

// errInteractiveAccount is win_service's message for desktop_interact with
// another account than LocalSystem.
var errInteractiveAccount = &optionErr{msg: "Can only set 'desktop_interact' to true when 'username' equals 'SYSTEM'"}

// serviceType combines service_type with desktop_interact, the
// interactive-process flag, which only a Win32 service running as
// LocalSystem may have. A username that moves an interactive service to
// another account clears the flag, as win_service does, unless
// desktop_interact asks to keep it (which is refused).
func serviceType(t *target) (any, bool, error) {
	st, typeSet := t.p.Str("service_type")
	interact, interactSet := t.p.Bool("desktop_interact")
	account, accountSet := t.p.Str("username")
	wasInteractive := t.loaded != nil && t.loaded.ServiceType.Interactive()
	leaves := accountSet && wasInteractive && canonicalAccount(account) != localSystem
	if !typeSet && !interactSet && !leaves {
		return nil, false, nil
	}
	typ := winsvc.Win32OwnProcess
	if t.loaded != nil {
		typ = t.loaded.ServiceType &^ winsvc.InteractiveProcess
	}
	if typeSet {
		if err := typ.UnmarshalText([]byte(st)); err != nil {
			return nil, false, badOption("service_type", "%v", err)
		}
	}
	if !interactSet {
		interact = wasInteractive && !leaves
	}
	if interact {
		if !accountSet && t.loaded != nil {
			account = t.loaded.ServiceStartName
		}
		if canonicalAccount(account) != localSystem {
			return nil, false, errInteractiveAccount
		}
		typ |= winsvc.InteractiveProcess
	}
	return typ.String(), true, nil
}

// dependencies applies dependency_action to the installed dependencies:
// add and remove change them, set replaces them. Names compare
// case-insensitively, as the SCM compares them.
func dependencies(t *target) (any, bool, error) {
	list, ok := t.p.List("dependencies")
	if !ok {
		return nil, false, nil
	}
	action, _ := t.p.Str("dependency_action")
	var current []string
	if t.loaded != nil {
		for _, d := range t.loaded.Dependencies {
			current = append(current, d.String())
		}
	}
	has := func(set []string, s string) bool {
		return slices.ContainsFunc(set, func(e string) bool { return strings.EqualFold(e, s) })
	}
	out := []string{}
	switch action {
	case "add":
		out = append(out, current...)
		for _, d := range list {
			if !has(out, d) {
				out = append(out, d)
			}
		}
	case "remove":
		for _, d := range current {
			if !has(list, d) {
				out = append(out, d)
			}
		}
	default:
		out = append(out, list...)
	}
	return out, true, nil
}

// account maps username. A name that stands for the installed account
// (another spelling of a built-in account, or, where accounts can be looked
// up, a name with the same SID: `.\bob` for `HOST\bob`) keeps the installed
// spelling, so that it is no change.
func account(t *target) (any, bool, error) {
	name, ok := t.p.Str("username")
	if !ok {
		return nil, false, nil
	}
	name = canonicalAccount(name)
	if t.loaded == nil {
		return name, true, nil
	}
	cur := t.loaded.ServiceStartName
	if strings.EqualFold(canonicalAccount(cur), name) {
		return cur, true, nil
	}
	a, errA := t.m.LookupTrustee(t.ctx, name)
	b, errB := t.m.LookupTrustee(t.ctx, cur)
	if errA == nil && errB == nil && a.SID != "" && a.SID == b.SID {
		return cur, true, nil
	}
	return name, true, nil
}

// failureActions combines the four failure options into the one setting:
// the parts not given keep their installed values (an empty list of
// actions deletes the actions; an empty command or message deletes it).
// A reset period of 0xFFFFFFFF is INFINITE.
func failureActions(t *target) (any, bool, error) {
	list, listSet := t.p.Dicts("failure_actions")
	reset, resetSet := t.p.Int("failure_reset_period_sec")
	cmd, cmdSet := t.p.Str("failure_command")
	msg, msgSet := t.p.Str("failure_reboot_msg")
	if !listSet && !resetSet && !cmdSet && !msgSet {
		return nil, false, nil
	}
	var fa winsvc.FailureActions
	if t.loaded != nil && t.loaded.Available(winsvc.FieldFailureActions) {
		fa = t.loaded.FailureActions
	}
	if listSet {
		fa.Actions = []winsvc.Action{}
		for i, a := range list {
			typ, _ := a.Str("type")
			delay, _ := a.Int("delay_ms")
			var at winsvc.ActionType
			if err := at.UnmarshalText([]byte("SC_ACTION_" + strings.ToUpper(typ))); err != nil {
				return nil, false, badOption(fmt.Sprintf("failure_actions[%d].type", i), "%v", err)
			}
			fa.Actions = append(fa.Actions, winsvc.Action{Type: at, Delay: time.Duration(delay) * time.Millisecond})
		}
	}
	if resetSet {
		fa.ResetPeriod = winsvc.ResetAfter(time.Duration(reset) * time.Second)
		if reset == 0xFFFFFFFF {
			fa.ResetPeriod = winsvc.ResetInfinite
		}
	}
	if cmdSet {
		fa.Command = cmd
	}
	if msgSet {
		fa.RebootMessage = msg
	}
	return fa, true, nil
}

// securityDescriptor is security_descriptor (the DACL in SDDL) with the
// grants added: each gives a trustee rights, as `winsvc sdset` would after
// access.GrantRights. Without security_descriptor, the grants apply to the
// installed DACL.
func securityDescriptor(t *target) (any, bool, error) {
	sddl, sddlSet := t.p.Str("security_descriptor")
	grants, grantsSet := t.p.Dicts("grants")
	if !grantsSet {
		return sddl, sddlSet, nil
	}
	if !sddlSet {
		if t.svc == nil {
			return nil, false, badOption("grants", "the service is not installed yet, so it has no DACL to add to: give security_descriptor too")
		}
		cur, err := t.svc.SecurityDescriptor(t.ctx)
		if err != nil {
			return nil, false, err
		}
		sddl = cur
	}
	for i, g := range grants {
		who, _ := g.Str("trustee")
		words, _ := g.List("rights")
		rights, err := access.ParseRights(strings.Join(words, ","))
		if err != nil {
			return nil, false, badOption(fmt.Sprintf("grants[%d].rights", i), "%v", err)
		}
		if _, perr := access.ParseTrustee(who); perr != nil {
			tr, err := t.m.LookupTrustee(t.ctx, who)
			if err != nil {
				return nil, false, fmt.Errorf("option grants[%d].trustee: %w", i, err)
			}
			who = tr.SID
		}
		if sddl, err = access.GrantRights(sddl, who, rights); err != nil {
			return nil, false, badOption(fmt.Sprintf("grants[%d]", i), "%v", err)
		}
	}
	return sddl, true, nil
}
