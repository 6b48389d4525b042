package cli

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
	"github.com/winsvc/winsvc/trigger"
)

const triggerHelp = `Each TRIGGER is ACTION/EVENT[/PARAMETER...], ACTION being start or stop:
  start/device/UUID/HwId1/...    device interface class UUID arrives, matching a hardware or compatible ID
  start/custom/UUID/data0/...    event of ETW provider UUID, with binary data items in hex (ABCDABCD)
  start/strcustom/UUID/data0/... event of ETW provider UUID, with string data items
  start/networkon                the first IP address arrives
  stop/networkoff                the last IP address goes away
  start/domainjoin               the computer joins a domain
  stop/domainleave               the computer leaves its domain
  start/portopen/PARAMETER       a firewall port opens; PARAMETER is port;protocol;imagepath;servicename
  stop/portclose/PARAMETER       a firewall port closes
  start/machinepolicy            machine group policy changes
  start/userpolicy               user group policy changes
  start/rpcinterface/UUID        a request for RPC interface UUID
  start/namedpipe/PIPENAME       a request for named pipe PIPENAME
"delete" removes every trigger. The triggers given replace the current ones.`

// triggerCompletions are the trigger arguments completion offers: the
// events as the help lists them (those that take parameters end in "/").
var triggerCompletions = []string{"delete",
	"start/device/", "start/custom/", "start/strcustom/", "start/networkon", "stop/networkoff",
	"start/domainjoin", "stop/domainleave", "start/portopen/", "stop/portclose/",
	"start/machinepolicy", "start/userpolicy", "start/rpcinterface/", "start/namedpipe/"}

// fixedEvents are the sc trigger events whose type and subtype the event
// name alone determines.
var fixedEvents = map[string]struct {
	typ     trigger.Type
	subtype trigger.GUID
}{
	"networkon":     {trigger.TypeIPAddressAvailability, trigger.NetworkFirstIPAddressArrival},
	"networkoff":    {trigger.TypeIPAddressAvailability, trigger.NetworkLastIPAddressRemoval},
	"domainjoin":    {trigger.TypeDomainJoin, trigger.DomainJoin},
	"domainleave":   {trigger.TypeDomainJoin, trigger.DomainLeave},
	"portopen":      {trigger.TypeFirewallPortEvent, trigger.FirewallPortOpen},
	"portclose":     {trigger.TypeFirewallPortEvent, trigger.FirewallPortClose},
	"machinepolicy": {trigger.TypeGroupPolicy, trigger.MachinePolicyPresent},
	"userpolicy":    {trigger.TypeGroupPolicy, trigger.UserPolicyPresent},
	"rpcinterface":  {trigger.TypeNetworkEndpoint, trigger.RPCInterfaceEvent},
	"namedpipe":     {trigger.TypeNetworkEndpoint, trigger.NamedPipeEvent},
}

// parseTriggers parses sc triggerinfo's arguments; "delete" alone is the
// empty list, which removes every trigger.
func parseTriggers(args []string) ([]trigger.Trigger, error) {
	out := []trigger.Trigger{}
	if len(args) == 1 && strings.EqualFold(args[0], "delete") {
		return out, nil
	}
	for _, a := range args {
		t, err := parseTrigger(a)
		if err != nil {
			return nil, fmt.Errorf("trigger %s: %w", valerr.Quote(a), err)
		}
		out = append(out, t)
	}
	return out, nil
}

func parseTrigger(s string) (trigger.Trigger, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 {
		return trigger.Trigger{}, fmt.Errorf("want ACTION/EVENT[/PARAMETER]")
	}
	action, err := parseEnum[trigger.Action](parts[0])
	if err != nil || (action != trigger.Start && action != trigger.Stop) {
		return trigger.Trigger{}, fmt.Errorf("action %s: use start or stop", valerr.Quote(parts[0]))
	}
	t := trigger.Trigger{Action: action}
	event, params := strings.ToLower(parts[1]), parts[2:]
	if f, ok := fixedEvents[event]; ok {
		t.Type, t.Subtype = f.typ, f.subtype
		switch event {
		case "portopen", "portclose":
			if len(params) != 1 {
				return t, fmt.Errorf("%s needs one parameter: port;protocol;imagepath;servicename", event)
			}
			t.Data = []trigger.Data{{Type: trigger.DataString, MultiText: strings.Split(params[0], ";")}}
		case "rpcinterface", "namedpipe":
			if len(params) != 1 {
				return t, fmt.Errorf("%s needs one parameter", event)
			}
			t.Data = []trigger.Data{{Type: trigger.DataString, Text: params[0]}}
		default:
			if len(params) != 0 {
				return t, fmt.Errorf("%s takes no parameter", event)
			}
		}
		return t, nil
	}
	switch event {
	case "device":
		t.Type = trigger.TypeDeviceInterfaceArrival
	case "custom", "strcustom":
		t.Type = trigger.TypeCustom
	default:
		return t, fmt.Errorf("unknown event %s (see 'winsvc help triggerinfo')", valerr.Quote(parts[1]))
	}
	if len(params) == 0 {
		return t, fmt.Errorf("%s needs a UUID", event)
	}
	if t.Subtype, err = trigger.ParseGUID(params[0]); err != nil {
		return t, err
	}
	for _, p := range params[1:] {
		d := trigger.Data{Type: trigger.DataString, Text: p}
		if event == "custom" {
			b, err := hex.DecodeString(p)
			if err != nil {
				return t, fmt.Errorf("data %s: use hexadecimal bytes such as ABCDABCD", valerr.Quote(p))
			}
			d = trigger.Data{Type: trigger.DataBinary, Binary: b}
		}
		t.Data = append(t.Data, d)
	}
	return t, nil
}

// triggerLabels are sc qtriggerinfo's names for the trigger types.
var triggerLabels = map[trigger.Type]string{
	trigger.TypeDeviceInterfaceArrival:  "DEVICE INTERFACE ARRIVAL",
	trigger.TypeIPAddressAvailability:   "NETWORK EVENT",
	trigger.TypeDomainJoin:              "DOMAIN JOINED STATUS",
	trigger.TypeFirewallPortEvent:       "FIREWALL PORT EVENT",
	trigger.TypeGroupPolicy:             "GROUP POLICY",
	trigger.TypeNetworkEndpoint:         "NETWORK ENDPOINT",
	trigger.TypeCustomSystemStateChange: "CUSTOM SYSTEM STATE CHANGE",
	trigger.TypeCustom:                  "CUSTOM",
	trigger.TypeAggregate:               "AGGREGATE",
}

// subtypeLabels are sc's bracketed names for the well-known subtypes.
var subtypeLabels = map[trigger.GUID]string{
	trigger.NetworkFirstIPAddressArrival: "IP ADDRESS AVAILABLE",
	trigger.NetworkLastIPAddressRemoval:  "NO IP ADDRESS AVAILABLE",
	trigger.DomainJoin:                   "DOMAIN JOINED",
	trigger.DomainLeave:                  "NOT DOMAIN JOINED",
	trigger.FirewallPortOpen:             "PORT OPEN",
	trigger.FirewallPortClose:            "PORT CLOSE",
	trigger.MachinePolicyPresent:         "MACHINE POLICY PRESENT",
	trigger.UserPolicyPresent:            "USER POLICY PRESENT",
	trigger.RPCInterfaceEvent:            "RPC INTERFACE EVENT",
	trigger.NamedPipeEvent:               "NAMED PIPE EVENT",
}

// renderTriggers prints sc qtriggerinfo's block.
func renderTriggers(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	if len(c.Triggers) == 0 {
		fmt.Fprintf(w, "\n        The service has not registered for any start or stop triggers.\n")
		return
	}
	fmt.Fprintln(w)
	for _, t := range c.Triggers {
		action := "START SERVICE"
		if t.Action == trigger.Stop {
			action = "STOP SERVICE"
		}
		fmt.Fprintf(w, "        %s\n", action)
		label, ok := triggerLabels[t.Type]
		if !ok {
			label = t.Type.String()
		}
		sub, ok := subtypeLabels[t.Subtype]
		switch {
		case ok:
		case t.Type == trigger.TypeDeviceInterfaceArrival:
			sub = "INTERFACE CLASS GUID"
		case t.Type == trigger.TypeCustom:
			sub = "ETW PROVIDER UUID"
		default:
			sub = "SUBTYPE"
		}
		guid := strings.Trim(t.Subtype.String(), "{}")
		fmt.Fprintf(w, "          %-29s: %s [%s]\n", label, guid, sub)
		for _, d := range t.Data {
			fmt.Fprintf(w, "            %-27s: %s\n", "DATA", triggerDataLabel(d))
		}
	}
}

func triggerDataLabel(d trigger.Data) string {
	switch d.Type {
	case trigger.DataString:
		if d.MultiText != nil {
			return strings.Join(d.MultiText, ";")
		}
		return d.Text
	case trigger.DataLevel:
		return fmt.Sprint(d.Level)
	case trigger.DataKeywordAny, trigger.DataKeywordAll:
		return fmt.Sprintf("0x%x", d.Keyword)
	}
	return strings.ToUpper(hex.EncodeToString(d.Binary))
}

func msDuration(ms uint64) time.Duration { return time.Duration(ms) * time.Millisecond }
