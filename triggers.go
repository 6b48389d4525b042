package winsvc

import "slices"

// Trigger is one service trigger (SERVICE_TRIGGER): an event that starts or
// stops the service.
type Trigger struct {
	Type    uint32 `json:"type"`
	Action  uint32 `json:"action"`
	Subtype string `json:"subtype"` // a GUID, {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}
}

func cloneTriggers(t []Trigger) []Trigger { return slices.Clone(t) }

func triggersEqual(a, b []Trigger) bool { return slices.Equal(a, b) }

func validateTriggers(t []Trigger) error { return nil }

func encodeTriggers(t []Trigger) []byte { panic("not implemented") }

func decodeTriggers(b []byte) ([]Trigger, error) { return nil, nil }
