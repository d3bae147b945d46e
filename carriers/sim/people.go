package sim

// Data the demo world draws customers and places from. Names include
// accented spellings on purpose: agents search for "Müller" as "muller".
var (
	firstNames = []string{
		"Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lea", "Paul", "Emma", "Ben",
		"Hannah", "Elias", "Mia", "Noah", "Lena", "Finn", "Clara", "Leon", "Ida", "Karl",
		"Olivia", "James", "Amelia", "Oliver", "Chloé", "Zoë", "Jürgen", "Björn", "Renée", "José",
	}
	lastNames = []string{
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
		"Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Weiß",
		"Smith", "Jones", "Taylor", "Brown", "O'Neill", "García", "Dubois", "Jansen", "Nowak",
	}
	streets = []string{
		"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schillerstraße",
		"Goethestraße", "Am Markt", "Rosenweg", "Kirchplatz", "Friedrichstraße",
	}
	products = []struct{ sku, title string }{
		{"TSH-BLK-M", "T-shirt, black, M"}, {"HOOD-GRY-L", "Hoodie, grey, L"},
		{"MUG-CER-01", "Ceramic mug"}, {"BTL-STL-750", "Steel bottle 750 ml"},
		{"SNK-WHT-42", "Sneakers, white, 42"}, {"CAP-NVY", "Cap, navy"},
		{"BAG-CNV-01", "Canvas tote"}, {"SOCK-3PK", "Socks, 3 pack"},
		{"LMP-DSK-01", "Desk lamp"}, {"NTB-A5-DOT", "Notebook A5, dotted"},
	}
)

// place is a city with a postcode, its country and the parcel centre that
// serves it; state only in the US.
type place struct {
	city, postal, country, hub, state string
}

// Destinations: mostly Germany, some neighbours (customs for CH and GB),
// and a few US cities (customs, and US carriers).
var destinations = []place{
	{"Berlin", "10115", "DE", "Börnicke", ""}, {"Hamburg", "20095", "DE", "Hamburg", ""},
	{"München", "80331", "DE", "Aschheim", ""}, {"Köln", "50667", "DE", "Köln", ""},
	{"Frankfurt am Main", "60311", "DE", "Rodgau", ""}, {"Stuttgart", "70173", "DE", "Köngen", ""},
	{"Düsseldorf", "40213", "DE", "Krefeld", ""}, {"Leipzig", "04109", "DE", "Radefeld", ""},
	{"Dresden", "01067", "DE", "Ottendorf-Okrilla", ""}, {"Hannover", "30159", "DE", "Lehrte", ""},
	{"Nürnberg", "90402", "DE", "Feucht", ""}, {"Bremen", "28195", "DE", "Bremen", ""},
	{"Wien", "1010", "AT", "Wien", ""}, {"Amsterdam", "1012", "NL", "Amsterdam", ""},
	{"Zürich", "8001", "CH", "Frauenfeld", ""}, {"London", "EC1A 1BB", "GB", "Coventry", ""},
	{"New York", "10001", "US", "Secaucus", "NY"}, {"Chicago", "60601", "US", "Hodgkins", "IL"},
	{"Los Angeles", "90012", "US", "Ontario", "CA"}, {"Austin", "78701", "US", "Austin", "TX"},
}

// origin is the shop's warehouse.
var origin = place{"Bonn", "53113", "DE", "Bochum", ""}
