package okta

import "fmt"

// apiTokenIDLen is the length of an Okta id such as an API token's, 00T94e3cn9kSEO3c51s5.
const apiTokenIDLen = 20

// APITokenIDProblem says why id cannot be an API token's id as Okta shows it (Security > API > Tokens, and
// transaction.detail.requestApiTokenId of the events made with the token): 20 letters and digits beginning
// 00T; "" when it can. It never quotes id: a token pasted in its place stays out of errors.
func APITokenIDProblem(id string) string {
	if len(id) != apiTokenIDLen || id[:3] != "00T" {
		return fmt.Sprintf("is not an API token's id: an id is %d characters beginning 00T, e.g. 00T94e3cn9kSEO3c51s5 (the token itself is longer and secret: never put it here)", apiTokenIDLen)
	}
	for i := 3; i < len(id); i++ {
		if b := id[i]; !('0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z') {
			return fmt.Sprintf("has a character that is not a letter or a digit (at byte %d): an API token's id is 20 letters and digits beginning 00T, e.g. 00T94e3cn9kSEO3c51s5", i)
		}
	}
	return ""
}
