package mapping

import "slices"

// CategoryRules returns a copy of the category table, the threatSuspected row (which has no pattern) first:
// for the tests of package mapping_test.
func CategoryRules() []CategoryRule { return slices.Clone(categoryRules) }
