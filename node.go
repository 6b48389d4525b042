package winsvc

// PreferredNode is the NUMA node a service prefers (SERVICE_PREFERRED_NODE_INFO).
// The zero value means no preferred node.
type PreferredNode struct {
	Node uint16
	Set  bool
}
