package mapping

import (
	"strings"
	"testing"
)

func TestCountryTableIsComplete(t *testing.T) {
	if len(countryNames) < 249 {
		t.Errorf("%d codes, want all 249 of ISO 3166-1 alpha-2", len(countryNames))
	}
	seen := map[string]string{}
	for code, names := range countryNames {
		if len(code) != 2 || strings.ToUpper(code) != code || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
			t.Errorf("code %q is not two capital letters", code)
		}
		if len(names) == 0 {
			t.Errorf("%s has no name", code)
		}
		for _, n := range names {
			k := strings.ToLower(n)
			if other, ok := seen[k]; ok && other != code {
				t.Errorf("name %q is given to %s and %s", n, other, code)
			}
			seen[k] = code
			if got, ok := CountryCode(n); !ok || got != code {
				t.Errorf("CountryCode(%q) = %q, %v; want %s", n, got, ok, code)
			}
		}
	}
	// Codes that are reserved or user-assigned, not country codes.
	for _, code := range []string{"XK", "EU", "UK", "AN", "YU", "ZZ"} {
		if _, ok := countryNames[code]; ok {
			t.Errorf("%s is not an officially assigned ISO 3166-1 code", code)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for name, want := range map[string]string{
		"United States":                     "US",
		"united states":                     "US",
		"UNITED STATES":                     "US",
		" United States ":                   "US",
		"United Kingdom":                    "GB",
		"Russia":                            "RU",
		"South Korea":                       "KR",
		"North Korea":                       "KP",
		"Vietnam":                           "VN",
		"Iran":                              "IR",
		"Czechia":                           "CZ",
		"Czech Republic":                    "CZ",
		"Taiwan":                            "TW",
		"Hong Kong":                         "HK",
		"Macao":                             "MO",
		"Ivory Coast":                       "CI",
		"Côte d'Ivoire":                     "CI",
		"CÔTE D'IVOIRE":                     "CI",
		"Bolivia":                           "BO",
		"Venezuela":                         "VE",
		"Tanzania":                          "TZ",
		"Syria":                             "SY",
		"Laos":                              "LA",
		"Moldova":                           "MD",
		"Macedonia":                         "MK",
		"North Macedonia":                   "MK",
		"Micronesia":                        "FM",
		"Federated States of Micronesia":    "FM",
		"Palestine":                         "PS",
		"Brunei":                            "BN",
		"Cape Verde":                        "CV",
		"Cabo Verde":                        "CV",
		"Eswatini":                          "SZ",
		"Swaziland":                         "SZ",
		"Myanmar":                           "MM",
		"Burma":                             "MM",
		"The Netherlands":                   "NL",
		"Netherlands":                       "NL",
		"Republic of the Congo":             "CG",
		"Congo Republic":                    "CG",
		"DR Congo":                          "CD",
		"Democratic Republic of the Congo":  "CD",
		"Canada":                            "CA",
		"Germany":                           "DE",
		"Japan":                             "JP",
		"Türkiye":                           "TR",
		"Turkey":                            "TR",
		"Åland":                             "AX",
		"Curaçao":                           "CW",
		"Réunion":                           "RE",
		"São Tomé and Príncipe":             "ST",
		"Saint Barthélemy":                  "BL",
		"Bonaire, Sint Eustatius, and Saba": "BQ",
		"U.S. Virgin Islands":               "VI",
		"British Virgin Islands":            "VG",
		"Vatican City":                      "VA",
		"St Kitts and Nevis":                "KN",
		"Sint Maarten":                      "SX",
		"Saint Martin":                      "MF",
		"Antarctica":                        "AQ",
		"Bouvet Island":                     "BV",
	} {
		if got, ok := CountryCode(name); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v; want %s", name, got, ok, want)
		}
	}
	for _, name := range []string{"", "Atlantis", "Kosovo", "Europe", "US", "Korea", "United", strings.Repeat("x", 100)} {
		if got, ok := CountryCode(name); ok {
			t.Errorf("CountryCode(%q) = %q, want no code", name, got)
		}
	}
}
