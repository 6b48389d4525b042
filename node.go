package winsvc

// PreferredNode is the NUMA node a service prefers (SERVICE_PREFERRED_NODE_INFO).
// The zero value means no preferred node. JSON: {"node": 1, "set": true},
// and {"node": 0, "set": false} for none.
type PreferredNode struct {
	Node uint16 `json:"node"`
	Set  bool   `json:"set"`
}
