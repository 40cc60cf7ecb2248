package fhir

import (
	"testing"

	"aftercare"
)

// Verhoeff tables: the last digit of a SNOMED CT id is a Verhoeff check digit.
var (
	verhoeffD = [10][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

func verhoeffValid(id string) bool {
	c := 0
	for i := 0; i < len(id); i++ {
		d := id[len(id)-1-i]
		if d < '0' || d > '9' {
			return false
		}
		c = verhoeffD[c][verhoeffP[i%8][d-'0']]
	}
	return c == 0
}

func TestEveryAreaHasAWellFormedSNOMEDBodySite(t *testing.T) {
	for _, a := range aftercare.Areas.Codes() {
		t.Run(a.Code+" has a SNOMED CT concept id with a valid check digit", func(t *testing.T) {
			s, ok := BodySites[a.Code]
			if !ok {
				t.Fatal("no body site")
			}
			// 6 to 18 digits; the two before the check digit are the partition
			// "00", a concept of the international release.
			n := len(s.Code)
			if n < 6 || n > 18 || s.Code[0] == '0' || s.Code[n-3:n-1] != "00" || !verhoeffValid(s.Code) || s.Display == "" {
				t.Errorf("%+v is not a well-formed SNOMED CT concept id", s)
			}
		})
	}
	t.Run("no code stands for two areas", func(t *testing.T) {
		seen := map[string]string{}
		for area, s := range BodySites {
			if other, dup := seen[s.Code]; dup {
				t.Errorf("%s is used for %s and %s", s.Code, area, other)
			}
			seen[s.Code] = area
		}
		if len(BodySites) != len(aftercare.Areas.Codes()) {
			t.Errorf("%d body sites for %d areas", len(BodySites), len(aftercare.Areas.Codes()))
		}
	})
	t.Run("the check digit test refuses a mistyped code", func(t *testing.T) {
		if verhoeffValid("45048001") || !verhoeffValid("45048000") {
			t.Error("Verhoeff check is wrong")
		}
	})
}
