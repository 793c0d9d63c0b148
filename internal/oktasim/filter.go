package oktasim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The SCIM filter subset of /api/v1/logs:
//
//	expr    := term { "or" term }
//	term    := factor { "and" factor }
//	factor  := "not" factor | "(" expr ")" | attrPath "pr" | attrPath op value
//	op      := eq | ne | co | sw | ew | gt | ge | lt | le
//	value   := "string" | number | true | false | null
//
// attrPath is a top-level or dotted path (actor.alternateId, outcome.result); a path through an
// array (target.type) matches when any element does. Keywords are case-insensitive, string
// comparisons too (SCIM's default). Like Okta, a filter naming `published` is rejected.

// filterNode is a parsed filter expression.
type filterNode interface {
	eval(ev map[string]any) bool
}

type andNode struct{ l, r filterNode }
type orNode struct{ l, r filterNode }
type notNode struct{ x filterNode }
type cmpNode struct {
	path []string
	op   string
	val  any // string, float64, bool or nil
}

func (n andNode) eval(ev map[string]any) bool { return n.l.eval(ev) && n.r.eval(ev) }
func (n orNode) eval(ev map[string]any) bool  { return n.l.eval(ev) || n.r.eval(ev) }
func (n notNode) eval(ev map[string]any) bool { return !n.x.eval(ev) }

// eval compares the values found at the path; ne is the negation of eq, so a missing attribute
// is "not equal".
func (n cmpNode) eval(ev map[string]any) bool {
	vals := resolve(ev, n.path)
	if n.op == "ne" {
		return !anyMatch(vals, "eq", n.val)
	}
	return anyMatch(vals, n.op, n.val)
}

func anyMatch(vals []any, op string, want any) bool {
	for _, v := range vals {
		if compare(v, op, want) {
			return true
		}
	}
	return false
}

// resolve returns the values at a dotted path, descending into arrays element by element.
func resolve(v any, path []string) []any {
	if arr, ok := v.([]any); ok {
		var out []any
		for _, el := range arr {
			out = append(out, resolve(el, path)...)
		}
		return out
	}
	if len(path) == 0 {
		return []any{v}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	child, ok := m[path[0]]
	if !ok {
		return nil
	}
	return resolve(child, path[1:])
}

func compare(v any, op string, want any) bool {
	switch op {
	case "pr":
		s, isStr := v.(string)
		return v != nil && (!isStr || s != "")
	case "eq":
		if ws, ok := want.(string); ok {
			s, ok := v.(string)
			return ok && strings.EqualFold(s, ws)
		}
		return v == want
	case "co", "sw", "ew":
		s, ok1 := v.(string)
		w, ok2 := want.(string)
		if !ok1 || !ok2 {
			return false
		}
		s, w = strings.ToLower(s), strings.ToLower(w)
		switch op {
		case "co":
			return strings.Contains(s, w)
		case "sw":
			return strings.HasPrefix(s, w)
		default:
			return strings.HasSuffix(s, w)
		}
	default: // gt ge lt le
		c, ok := order(v, want)
		if !ok {
			return false
		}
		switch op {
		case "gt":
			return c > 0
		case "ge":
			return c >= 0
		case "lt":
			return c < 0
		default:
			return c <= 0
		}
	}
}

// order compares two numbers or two strings.
func order(v, want any) (int, bool) {
	switch w := want.(type) {
	case float64:
		f, ok := v.(float64)
		switch {
		case !ok:
			return 0, false
		case f < w:
			return -1, true
		case f > w:
			return 1, true
		}
		return 0, true
	case string:
		s, ok := v.(string)
		return strings.Compare(strings.ToLower(s), strings.ToLower(w)), ok
	}
	return 0, false
}

// matchFilter decodes the event and evaluates the filter on it.
func matchFilter(f filterNode, raw []byte) bool {
	var ev map[string]any
	if json.Unmarshal(raw, &ev) != nil {
		return false
	}
	return f.eval(ev)
}

// parseFilter parses a filter expression; errors are Okta's 400 answers.
func parseFilter(s string) (filterNode, *apiError) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, searchError("Invalid search criteria: " + err.Error())
	}
	p := &filterParser{toks: toks}
	n, perr := p.expr()
	if perr == nil && p.i < len(p.toks) {
		perr = searchError(fmt.Sprintf("Invalid search criteria: unexpected %q", p.toks[p.i].text))
	}
	if perr != nil {
		return nil, perr
	}
	return n, nil
}

type token struct {
	text   string
	quoted bool // a string literal; text is its unquoted value
}

// tokenize splits a filter into parentheses, string literals and words.
func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, token{text: string(c)})
			i++
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string at offset %d", i)
			}
			var v string
			if err := json.Unmarshal([]byte(s[i:j+1]), &v); err != nil {
				return nil, fmt.Errorf("bad string literal %s", s[i:j+1])
			}
			toks = append(toks, token{text: v, quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n()\"", rune(s[j])) {
				j++
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		}
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty filter")
	}
	return toks, nil
}

type filterParser struct {
	toks []token
	i    int
}

// keyword reports whether the next token is the unquoted word kw, and consumes it if so.
func (p *filterParser) keyword(kw string) bool {
	if p.i < len(p.toks) && !p.toks[p.i].quoted && strings.EqualFold(p.toks[p.i].text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *filterParser) expr() (filterNode, *apiError) {
	l, err := p.term()
	for err == nil && p.keyword("or") {
		var r filterNode
		if r, err = p.term(); err == nil {
			l = orNode{l, r}
		}
	}
	return l, err
}

func (p *filterParser) term() (filterNode, *apiError) {
	l, err := p.factor()
	for err == nil && p.keyword("and") {
		var r filterNode
		if r, err = p.factor(); err == nil {
			l = andNode{l, r}
		}
	}
	return l, err
}

var filterOps = map[string]bool{"eq": true, "ne": true, "co": true, "sw": true, "ew": true, "gt": true, "ge": true, "lt": true, "le": true}

func (p *filterParser) factor() (filterNode, *apiError) {
	if p.keyword("not") {
		x, err := p.factor()
		return notNode{x}, err
	}
	if p.keyword("(") {
		n, err := p.expr()
		if err == nil && !p.keyword(")") {
			err = searchError("Invalid search criteria: missing )")
		}
		return n, err
	}
	if p.i >= len(p.toks) {
		return nil, searchError("Invalid search criteria: unexpected end of filter")
	}
	attr := p.toks[p.i]
	if attr.quoted || attr.text == ")" {
		return nil, searchError(fmt.Sprintf("Invalid search criteria: expected an attribute, got %q", attr.text))
	}
	p.i++
	path := strings.Split(attr.text, ".")
	for _, seg := range path {
		if seg == "" {
			return nil, searchError(fmt.Sprintf("Invalid search criteria: bad attribute %q", attr.text))
		}
	}
	if strings.EqualFold(path[0], "published") {
		return nil, searchError("Invalid search criteria: the published attribute cannot be used in a filter, use since and until")
	}
	if p.keyword("pr") {
		return cmpNode{path: path, op: "pr"}, nil
	}
	if p.i >= len(p.toks) || p.toks[p.i].quoted || !filterOps[strings.ToLower(p.toks[p.i].text)] {
		return nil, searchError(fmt.Sprintf("Invalid search criteria: expected an operator after %s", attr.text))
	}
	op := strings.ToLower(p.toks[p.i].text)
	p.i++
	if p.i >= len(p.toks) {
		return nil, searchError("Invalid search criteria: missing value after " + op)
	}
	val, err := literal(p.toks[p.i])
	if err != nil {
		return nil, err
	}
	p.i++
	if (op == "co" || op == "sw" || op == "ew") && len(path) >= 2 &&
		strings.EqualFold(path[0], "debugContext") && strings.EqualFold(path[1], "debugData") {
		return nil, &apiError{status: 400, code: codeBadOperator, summary: "Invalid search criteria.",
			causes: []string{fmt.Sprintf("operator %s is not supported on %s", op, attr.text)}}
	}
	return cmpNode{path: path, op: op, val: val}, nil
}

// literal reads a comparison value.
func literal(t token) (any, *apiError) {
	if t.quoted {
		return t.text, nil
	}
	switch strings.ToLower(t.text) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if f, err := strconv.ParseFloat(t.text, 64); err == nil {
		return f, nil
	}
	return nil, searchError(fmt.Sprintf("Invalid search criteria: bad value %q", t.text))
}
