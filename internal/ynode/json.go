package ynode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// ToJSON converts a YAML value to compact JSON, keeping mapping key order
// (encoding/json would sort keys of a map, and CNI configs are read by people).
func ToJSON(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	budget := maxJSONNodes
	if err := writeJSON(&b, n, 0, &budget); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxJSONNodes bounds the values one conversion writes: aliases make a few lines of
// YAML stand for billions of values.
const maxJSONNodes = 100000

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth int, budget *int) error {
	if depth > 100 {
		return fmt.Errorf("nested too deeply")
	}
	if *budget--; *budget < 0 {
		return fmt.Errorf("more than %d values (aliases expanded)", maxJSONNodes)
	}
	n = Resolve(n)
	if n == nil {
		b.WriteString("null")
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0], depth+1, budget)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], depth+1, budget); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c, depth+1, budget); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(n.Value)
			if err != nil {
				return fmt.Errorf("bad boolean %q", n.Value)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int":
			v, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				return fmt.Errorf("bad integer %q", n.Value)
			}
			b.WriteString(strconv.FormatInt(v, 10))
		case "!!float":
			v, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				return fmt.Errorf("bad number %q", n.Value)
			}
			out, err := json.Marshal(v)
			if err != nil {
				return err
			}
			b.Write(out)
		default:
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		}
	default:
		return fmt.Errorf("unsupported YAML node")
	}
	return nil
}
