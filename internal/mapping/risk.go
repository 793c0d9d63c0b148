package mapping

import "strings"

// riskLevel returns the level in debugContext.debugData.risk as Okta writes it: a string such as
// "{reasons=Anomalous Device, level=MEDIUM}", or the same as JSON text ({"level":"HIGH"}).
func riskLevel(risk string) (string, bool) {
	for from := 0; ; {
		k := strings.Index(risk[from:], "level")
		if k < 0 {
			return "", false
		}
		k += from
		from = k + len("level")
		if k > 0 && !strings.ContainsRune("{, \t\"'", rune(risk[k-1])) {
			continue
		}
		i := from
		if i < len(risk) && (risk[i] == '"' || risk[i] == '\'') {
			i++
		}
		i = skipBlanks(risk, i)
		if i >= len(risk) || (risk[i] != '=' && risk[i] != ':') {
			continue
		}
		i = skipBlanks(risk, i+1)
		if i < len(risk) && (risk[i] == '"' || risk[i] == '\'') {
			i++
		}
		end := i
		for end < len(risk) && !strings.ContainsRune(",}\"'", rune(risk[end])) {
			end++
		}
		level := strings.TrimSpace(risk[i:end])
		if level == "" || level == "null" {
			return "", false
		}
		return level, true
	}
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// debugRiskLevel returns the level in debugContext.debugData.risk, which Okta writes as a string
// ("{reasons=..., level=MEDIUM}") and which is also accepted as an object.
func (d *doc) debugRiskLevel(risk int) (string, bool) {
	if risk < 0 {
		return "", false
	}
	switch d.nodes[risk].kind {
	case kindObject:
		return d.text(d.get(risk, "level"))
	case kindString:
		return riskLevel(d.str(risk))
	}
	return "", false
}
