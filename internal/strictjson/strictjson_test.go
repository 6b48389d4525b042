package strictjson

import "testing"

func TestDecode(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	for in, ok := range map[string]bool{`{"a":1}`: true, `{"a":1,"b":2}`: false, `{"a":1} {"a":2}`: false, `{"a":"x"}`: false, ` {"a":1} `: true} {
		if err := Decode([]byte(in), &v); (err == nil) != ok {
			t.Errorf("Decode(%s) = %v, want ok=%v", in, err, ok)
		}
	}
}
