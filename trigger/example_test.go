package trigger_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/trigger"
)

// Start a service when the machine gets its first IP address, and stop it
// when UDP port 5001 closes in the firewall for its program. The triggers
// go in winsvc.Definition.Triggers, whose Validate checks them.
func Example() {
	triggers := []trigger.Trigger{
		{
			Type:    trigger.TypeIPAddressAvailability,
			Action:  trigger.Start,
			Subtype: trigger.NetworkFirstIPAddressArrival,
		},
		{
			Type:    trigger.TypeFirewallPortEvent,
			Action:  trigger.Stop,
			Subtype: trigger.FirewallPortClose,
			Data: []trigger.Data{{
				Type:      trigger.DataString,
				MultiText: []string{"5001", "UDP", `%ProgramFiles%\My App\svc.exe`, "MySvc"},
			}},
		},
	}
	def := winsvc.Definition{Name: "MySvc", Triggers: triggers}
	if err := def.Validate(); err != nil {
		log.Fatal(err)
	}
	for _, t := range def.Triggers {
		fmt.Println(t)
	}
	// Output:
	// SERVICE_TRIGGER_ACTION_SERVICE_START SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID []
	// SERVICE_TRIGGER_ACTION_SERVICE_STOP SERVICE_TRIGGER_TYPE_FIREWALL_PORT_EVENT FIREWALL_PORT_CLOSE_GUID [string:["5001" "UDP" "%ProgramFiles%\\My App\\svc.exe" "MySvc"]]
}

// A trigger's JSON form uses the Win32 names; its subtype may be given by a
// well-known name. This is the form of `winsvc get --json` and of the
// documents of package desired.
func ExampleTrigger_UnmarshalJSON() {
	in := `{"type": "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN",
	        "action": "SERVICE_TRIGGER_ACTION_SERVICE_START",
	        "subtype": "DOMAIN_JOIN_GUID"}`
	var t trigger.Trigger
	if err := json.Unmarshal([]byte(in), &t); err != nil {
		log.Fatal(err)
	}
	out, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output:
	// {
	//   "type": "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN",
	//   "action": "SERVICE_TRIGGER_ACTION_SERVICE_START",
	//   "subtype": "{1ce20aba-9851-4421-9430-1ddeb766e809}",
	//   "subtypeName": "DOMAIN_JOIN_GUID",
	//   "dataItems": []
	// }
}

// Validate names the field at fault and the values it allows; its error
// matches winsvc.ErrInvalid.
func ExampleValidate() {
	err := trigger.Validate([]trigger.Trigger{{
		Type:    trigger.TypeDomainJoin,
		Action:  trigger.Start,
		Subtype: trigger.FirewallPortOpen,
	}})
	fmt.Println(err)
	var ve *winsvc.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, ve.Allowed)
	}
	fmt.Println(errors.Is(err, winsvc.ErrInvalid))
	// Output:
	// invalid triggers[0].subtype "{b7569e07-8421-4ee0-ad10-86915afdad09}": not a subtype of SERVICE_TRIGGER_TYPE_DOMAIN_JOIN; allowed: DOMAIN_JOIN_GUID, DOMAIN_LEAVE_GUID
	// triggers[0].subtype [DOMAIN_JOIN_GUID DOMAIN_LEAVE_GUID]
	// true
}

// A subtype is a GUID, in the registry form or by the Win32 name of a
// well-known one.
func ExampleParseGUID() {
	g, err := trigger.ParseGUID("FIREWALL_PORT_OPEN_GUID")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g, g == trigger.FirewallPortOpen)

	g, err = trigger.ParseGUID("B7569E07-8421-4EE0-AD10-86915AFDAD09")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Name())
	// Output:
	// {b7569e07-8421-4ee0-ad10-86915afdad09} true
	// FIREWALL_PORT_OPEN_GUID
}

// A data item's bytes are what the SCM stores (pData): strings in UTF-16LE,
// each ending in NUL, a multi-string with one more NUL at its end.
func ExampleData_Bytes() {
	port := trigger.Data{Type: trigger.DataString, MultiText: []string{"80", "TCP"}}
	fmt.Printf("% x\n", port.Bytes())
	level := trigger.Data{Type: trigger.DataLevel, Level: 4}
	fmt.Printf("% x\n", level.Bytes())
	// Output:
	// 38 00 30 00 00 00 54 00 43 00 50 00 00 00 00 00
	// 04
}

// Give an installed service its triggers. They replace those it had; an
// empty list, []trigger.Trigger{}, removes them all, and nil leaves them.
func Example_service() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	ctx := context.Background()
	svc, err := m.Load(ctx, "MySvc")
	if err != nil {
		log.Fatal(err)
	}
	err = svc.Apply(winsvc.Definition{Triggers: []trigger.Trigger{{
		Type:    trigger.TypeDomainJoin,
		Action:  trigger.Start,
		Subtype: trigger.DomainJoin,
	}}})
	if err != nil {
		log.Fatal(err) // a *winsvc.ValidationError naming the field
	}
	if _, err := svc.Save(ctx, winsvc.SaveOptions{}); err != nil {
		log.Fatal(err)
	}
}
