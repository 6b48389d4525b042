package winsvc

// PreferredNode is the NUMA node a service prefers (SERVICE_PREFERRED_NODE_INFO).
// The zero value means no preferred node; saving it deletes the setting.
// JSON: {"node": 1, "set": true}, and {"node": 0, "set": false} for none.
type PreferredNode struct {
	Node uint16 `json:"node"`
	Set  bool   `json:"set"`
}

// Writing {Set: false} sends fDelete = TRUE, which Microsoft documents as
// deleting the setting (SERVICE_PREFERRED_NODE_INFO page). Reading: the
// setting table's row takes ERROR_NOT_FOUND (1168) from
// QueryServiceConfig2(SERVICE_CONFIG_PREFERRED_NODE) to mean "no preferred
// node". That is observed behaviour, not documented: the QueryServiceConfig2
// page lists only ERROR_ACCESS_DENIED, ERROR_INSUFFICIENT_BUFFER and
// ERROR_INVALID_HANDLE ("others can be set by the registry functions"), and
// the SERVICE_PREFERRED_NODE_INFO page does not say what an unset node
// returns. It could not be checked here: Wine's SCM fails the level with
// ERROR_INVALID_LEVEL.
