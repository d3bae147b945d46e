package carriers

import (
	"fmt"
	"strings"
	"time"
	// Embedded zone data: the desk must resolve carriers' naive local
	// times the same way on a machine without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// countryZones maps countries that keep one civil time on their mainland to
// that zone. Multi-zone countries (US, CA, AU, RU, BR, MX) are deliberately
// absent: any single pick would be hours off for part of them; the US is
// resolved by state instead. ES and PT map to the mainland; their islands
// differ by an hour, which TZKnown=false on every naive time owns up to.
var countryZones = LoadZones(map[string]string{
	"AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
	"CH": "Europe/Zurich", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
	"DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "ES": "Europe/Madrid",
	"FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London",
	"GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
	"IE": "Europe/Dublin", "IT": "Europe/Rome", "LT": "Europe/Vilnius",
	"LU": "Europe/Luxembourg", "LV": "Europe/Riga", "NL": "Europe/Amsterdam",
	"NO": "Europe/Oslo", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon",
	"RO": "Europe/Bucharest", "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana",
	"SK": "Europe/Bratislava", "TR": "Europe/Istanbul",
	"CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "IN": "Asia/Kolkata",
	"JP": "Asia/Tokyo", "KR": "Asia/Seoul", "SG": "Asia/Singapore",
	"AE": "Asia/Dubai",
	"PR": "America/Puerto_Rico",
})

// usStateZones maps a US state (or territory) to the zone most of it keeps.
// States split between two zones (FL, IN, KY, MI, TN, TX, KS, NE, ND, SD,
// ID, OR) get their larger part; TZKnown=false says it is a guess.
var usStateZones = LoadZones(map[string]string{
	"CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York",
	"FL": "America/New_York", "GA": "America/New_York", "IN": "America/Indiana/Indianapolis",
	"KY": "America/New_York", "ME": "America/New_York", "MD": "America/New_York",
	"MA": "America/New_York", "MI": "America/Detroit", "NH": "America/New_York",
	"NJ": "America/New_York", "NY": "America/New_York", "NC": "America/New_York",
	"OH": "America/New_York", "PA": "America/New_York", "RI": "America/New_York",
	"SC": "America/New_York", "VT": "America/New_York", "VA": "America/New_York",
	"WV": "America/New_York",
	"AL": "America/Chicago", "AR": "America/Chicago", "IL": "America/Chicago",
	"IA": "America/Chicago", "KS": "America/Chicago", "LA": "America/Chicago",
	"MN": "America/Chicago", "MS": "America/Chicago", "MO": "America/Chicago",
	"NE": "America/Chicago", "ND": "America/Chicago", "OK": "America/Chicago",
	"SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
	"WI": "America/Chicago",
	"AZ": "America/Phoenix", "CO": "America/Denver", "ID": "America/Boise",
	"MT": "America/Denver", "NM": "America/Denver", "UT": "America/Denver",
	"WY": "America/Denver",
	"CA": "America/Los_Angeles", "NV": "America/Los_Angeles", "OR": "America/Los_Angeles",
	"WA": "America/Los_Angeles",
	"AK": "America/Anchorage", "HI": "Pacific/Honolulu", "PR": "America/Puerto_Rico",
	"VI": "America/St_Thomas", "GU": "Pacific/Guam",
})

// LoadZones resolves zone names once at start-up. The names are constants
// and the zone data is embedded, so a failure is a typo in a table and any
// test run catches it; panicking is the loud way to say so.
func LoadZones(names map[string]string) map[string]*time.Location {
	zones := make(map[string]*time.Location, len(names))
	for key, name := range names {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(fmt.Sprintf("carriers: zone table entry %s=%s: %v", key, name, err))
		}
		zones[key] = loc
	}
	return zones
}

// NormCountry upper-cases a country code and turns "UK" (which DHL sends)
// into ISO "GB" and the ISO 3166 alpha-3 codes aggregators send ("USA",
// "DEU") into alpha-2 where wismo knows them.
func NormCountry(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if a2, ok := alpha3[code]; ok {
		return a2
	}
	if code == "UK" {
		return "GB"
	}
	return code
}

// alpha3 maps the alpha-3 codes of the countries in the zone tables, and a
// few large shipping countries, to alpha-2.
var alpha3 = map[string]string{
	"USA": "US", "CAN": "CA", "MEX": "MX", "BRA": "BR", "AUS": "AU", "RUS": "RU",
	"AUT": "AT", "BEL": "BE", "BGR": "BG", "CHE": "CH", "CZE": "CZ", "DEU": "DE",
	"DNK": "DK", "EST": "EE", "ESP": "ES", "FIN": "FI", "FRA": "FR", "GBR": "GB",
	"GRC": "GR", "HRV": "HR", "HUN": "HU", "IRL": "IE", "ITA": "IT", "LTU": "LT",
	"LUX": "LU", "LVA": "LV", "NLD": "NL", "NOR": "NO", "POL": "PL", "PRT": "PT",
	"ROU": "RO", "SWE": "SE", "SVN": "SI", "SVK": "SK", "TUR": "TR", "CHN": "CN",
	"HKG": "HK", "IND": "IN", "JPN": "JP", "KOR": "KR", "SGP": "SG", "ARE": "AE",
	"PRI": "PR",
}

// Zone returns the zone in which a naive local time is read for a place:
// by state in the US, by country elsewhere. It reports false when the
// place does not pin one zone (an unlisted or multi-zone country, a US
// address without a known state).
func Zone(country, region string) (*time.Location, bool) {
	country = NormCountry(country)
	if country == "US" || (country == "" && region != "") {
		loc, ok := usStateZones[strings.ToUpper(strings.TrimSpace(region))]
		return loc, ok
	}
	loc, ok := countryZones[country]
	return loc, ok
}
