package winsvc

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/host"
)

// Fuzz targets of the program block: its JSON (a document's program:)
// and its registry values (the Parameters key the host reads).

// FuzzProgramJSON: any program block decodes (or fails with short error
// lines) without a panic; a valid one applies, plans field by field and
// encodes to JSON that decodes and encodes to the same; no output of it
// (the Definition's JSON, Config's JSON, the plan's text and JSON, a
// validation error) shows the value of a secret variable.
func FuzzProgramJSON(f *testing.F) {
	full, err := json.Marshal(programJSON(fullProgram()))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"path":"C:\\a.exe","environment":["API_TOKEN=s3cr3tv4l","PORT=80","API_TOKEN"]}`))
	f.Add([]byte(`{"path":"%ProgramData%\\a.exe","args":["a",""],"rotate":{"age":1500},"restart":{"when":"sometimes"}}`))
	f.Add([]byte(`{"path":"\\\\srv\\share\\a.exe","environment":["DB_PASSWORD=hunter2\u0000"],"stopTimeout":4294967296}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, block []byte) {
		doc := append(append([]byte(`{"name":"S","program":`), block...), '}')
		var d Definition
		if err := json.Unmarshal(doc, &d); err != nil {
			checkShortError(t, err)
			return
		}
		secrets := secretValues(d.Program)
		noSecret := func(what, out string) {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Fatalf("%s shows the secret %q: %s", what, s, out)
				}
			}
		}
		err := d.Validate()
		checkShortError(t, err)
		if err != nil {
			noSecret("the validation error", err.Error())
			return
		}
		had := defaultConfig("S")
		had.Program = &host.Program{Path: `C:\old.exe`, Env: []string{"API_TOKEN=0ldt0k3n"}}
		c := had.Clone()
		d.applyTo(c)
		if err := c.validate(nil); err != nil {
			noSecret("the validation error", err.Error())
			return
		}
		plan := ComputePlan(had, c, nil, "")
		pj, err := json.Marshal(plan)
		if err != nil {
			t.Fatalf("the plan does not encode: %v", err)
		}
		cj, _ := json.Marshal(c)
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("valid %s does not encode: %v", doc, err)
		}
		secrets = append(secrets, "0ldt0k3n")
		for what, s := range map[string]string{"the plan": plan.String(), "the plan's JSON": string(pj), "Config's JSON": string(cj), "the Definition's JSON": string(out)} {
			noSecret(what, s)
		}
		var back Definition
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s does not decode: %v", out, err)
		}
		if again, err := json.Marshal(back); err != nil || string(again) != string(out) {
			t.Fatalf("%s decodes and encodes to %s, %v", out, again, err)
		}
	})
}

// secretValues are the values of p's secret variables long enough to be
// told apart from the rest of an output (4 bytes or more).
func secretValues(p *host.Program) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, e := range p.Env {
		if name, v, ok := strings.Cut(e, "="); ok && SecretEnvName(name) && len(v) >= 4 && !strings.Contains(HiddenValue, v) {
			out = append(out, v)
		}
	}
	return out
}

// FuzzDecodeProgram: whatever values the Parameters key holds (any name
// of the host's, any type, any bytes), decodeProgram returns without a
// panic, with short error lines; what it reads and what validates is
// written back as values that read to the same program.
func FuzzDecodeProgram(f *testing.F) {
	f.Add(encodeValues(encodeProgram(fullProgram())))
	f.Add(encodeValues(map[string]regValue{host.ValuePath: regVal(regSZ, []byte{'C', 0, ':', 0}), host.ValueArgs: regVal(regMultiSZ, []byte{0})}))
	f.Add(encodeValues(map[string]regValue{host.ValuePath: regVal(regExpandSZ, regString(`C:\a.exe`)), host.ValueRotateBytes: regVal(regQWORD, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})}))
	f.Add(encodeValues(map[string]regValue{host.ValuePath: regVal(regExpandSZ, regString(`C:\a.exe`)), host.ValueSuccessCodes: regVal(regMultiSZ, regMultiString([]string{"1", "-2", "99999999999"}))}))
	f.Fuzz(func(t *testing.T, b []byte) {
		values := decodeValues(b)
		p, err := decodeProgram(values)
		if err != nil {
			checkShortError(t, err)
			return
		}
		if p == nil || checkProgram(p) != nil {
			return
		}
		back, err := decodeProgram(encodeProgram(p))
		if err != nil || !programEqual(back, p) {
			t.Fatalf("%s written back reads as %s, %v", programText(p), programText(back), err)
		}
	})
}

// encodeValues lays registry values out as a fuzz input: for each value,
// the index of its name in programValueNames, its type, the length of its
// data (2 bytes) and the data.
func encodeValues(values map[string]regValue) []byte {
	var b []byte
	for i, name := range programValueNames {
		if v, ok := values[name]; ok {
			b = append(b, byte(i), byte(v.Type))
			b = binary.LittleEndian.AppendUint16(b, uint16(len(v.Data)))
			b = append(b, v.Data...)
		}
	}
	return b
}

// decodeValues reads encodeValues' layout; a short entry ends it.
func decodeValues(b []byte) map[string]regValue {
	values := map[string]regValue{}
	for len(b) >= 4 {
		name := programValueNames[int(b[0])%len(programValueNames)]
		typ := uint32(b[1])
		n := min(int(binary.LittleEndian.Uint16(b[2:])), len(b)-4)
		values[name] = regVal(typ, b[4:4+n])
		b = b[4+n:]
	}
	return values
}
