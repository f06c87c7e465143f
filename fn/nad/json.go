package nad

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// object is a JSON object that keeps its keys in order: CNI configs are read by
// people, and a rewritten one must differ from the original only where it must.
type object struct {
	keys   []string
	values []json.RawMessage
}

func (o *object) put(key string, v any) {
	raw, ok := v.(json.RawMessage)
	if !ok {
		raw, _ = json.Marshal(v)
	}
	for i, k := range o.keys {
		if k == key {
			o.values[i] = raw
			return
		}
	}
	o.keys = append(o.keys, key)
	o.values = append(o.values, raw)
}

func (o *object) get(key string) (json.RawMessage, bool) {
	for i, k := range o.keys {
		if k == key {
			return o.values[i], true
		}
	}
	return nil, false
}

func (o *object) marshal() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(o.values[i])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// indented is the object as two-space JSON with a final line break, as derived
// NADs are written.
func (o *object) indented() string {
	var out bytes.Buffer
	_ = json.Indent(&out, o.marshal(), "", "  ")
	out.WriteByte('\n')
	return out.String()
}

// parseObject reads a JSON object, keeping its keys' order.
func parseObject(s string) (*object, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	o := &object{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		o.keys = append(o.keys, key)
		o.values = append(o.values, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("text follows the JSON object")
	}
	return o, nil
}
