package desired

// State is the run state a document asks for. The zero value, Any, leaves
// the run state alone.
type State uint8

// Run states.
const (
	Any     State = iota // leave it as it is
	Running              // started, or continued when paused
	Stopped
	Paused // started first when stopped (and stopped again if it then cannot pause)
	Absent // the service is deleted (stopped first)
)

var stateWords = words{"any", "running", "stopped", "paused", "absent"}

func (s State) String() string { return stateWords.text(uint8(s)) }

// MarshalText writes the word: "running", "absent", ...
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a word, case-insensitively; "" is Any.
func (s *State) UnmarshalText(b []byte) error {
	v, err := stateWords.parse(keyState, string(b))
	*s = State(v)
	return err
}
