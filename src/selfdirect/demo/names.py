"""Made-up names for the demo council (fixed lists, so a seed always gives the same people)."""

FEMALE = (
    "Ada", "Agnes", "Aisha", "Alice", "Amelia", "Ann", "Beatrice", "Bridget", "Carol", "Chloe",
    "Dorothy", "Edith", "Eileen", "Elsie", "Emily", "Esther", "Fatima", "Florence", "Freya", "Gladys",
    "Grace", "Hannah", "Harriet", "Ivy", "Jean", "Joan", "Joyce", "June", "Kathleen", "Leah",
    "Lily", "Lucy", "Margaret", "Maria", "Maureen", "Mavis", "Megan", "Mildred", "Nadia", "Nancy",
    "Olive", "Patricia", "Pearl", "Priya", "Rose", "Ruby", "Ruth", "Sarah", "Shirley", "Sophie",
    "Sylvia", "Una", "Vera", "Violet", "Winifred", "Yasmin", "Zara", "Zoe",
)
MALE = (
    "Aaron", "Adam", "Ahmed", "Albert", "Alfred", "Arthur", "Ben", "Bernard", "Brian", "Callum",
    "Charles", "Colin", "Daniel", "David", "Dennis", "Derek", "Donald", "Edward", "Ernest", "Frank",
    "Fred", "George", "Gordon", "Harold", "Harry", "Henry", "Ibrahim", "Jack", "James", "John",
    "Joseph", "Keith", "Kenneth", "Leonard", "Liam", "Malcolm", "Michael", "Mohammed", "Norman", "Oliver",
    "Oscar", "Patrick", "Peter", "Raj", "Ray", "Robert", "Ronald", "Samuel", "Stanley", "Thomas",
    "Tom", "Victor", "Walter", "William", "Yusuf",
)
FAMILY = (
    "Abbott", "Ahmed", "Ali", "Allen", "Atkinson", "Bailey", "Baker", "Barnes", "Bell", "Bennett",
    "Brooks", "Brown", "Butler", "Campbell", "Carter", "Chapman", "Clark", "Clarke", "Cole", "Collins",
    "Cook", "Cooper", "Cox", "Davies", "Dawson", "Dixon", "Edwards", "Ellis", "Evans", "Fisher",
    "Fletcher", "Foster", "Fox", "Gibson", "Graham", "Gray", "Green", "Griffiths", "Hall", "Harris",
    "Harrison", "Hart", "Hill", "Holmes", "Hughes", "Hunt", "Hussain", "Jackson", "James", "Jenkins",
    "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King", "Knight", "Lee", "Lewis", "Lloyd",
    "Marshall", "Martin", "Mason", "Matthews", "Miller", "Mills", "Mitchell", "Moore", "Morgan", "Morris",
    "Murphy", "Murray", "Owen", "Palmer", "Parker", "Patel", "Pearson", "Phillips", "Powell", "Price",
    "Reid", "Richards", "Richardson", "Roberts", "Robinson", "Rogers", "Rose", "Russell", "Scott", "Shaw",
    "Simpson", "Singh", "Smith", "Stevens", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Walker",
    "Walsh", "Ward", "Watson", "Webb", "Wells", "White", "Wilkinson", "Williams", "Wilson", "Wood",
    "Wright", "Young",
)
AREAS = (
    "Northgate", "Southmead", "Eastfield", "Westbrook", "Riverside", "Hillcrest", "Marshside", "Oakley",
    "Brookvale", "Fernhill", "Kingsmoor", "Lakeside", "Millbrook", "Newhaven", "Ashdown", "Greenbank",
)
STREETS = (
    "High Street", "Church Road", "Station Road", "Mill Lane", "Park Avenue", "Victoria Road", "Green Lane",
    "Manor Road", "Queens Road", "The Crescent", "Orchard Close", "Meadow Way", "School Lane", "Kings Road",
)
PROVIDERS = (
    "Brightside Home Care", "Harbour Support Services", "Kindred Care Partners", "Oak Tree Day Services",
    "Compass Supported Living", "Willow Community Care", "Meadowview Care at Home", "Lantern Shared Lives",
    "Riverside Personal Assistance", "Beacon Enablement", "Hearth and Home Care", "Pathways Employment Support",
    "Evergreen Night Care", "Cedar Mental Health Support", "Open Door Befriending", "Keystone Care Agency",
    "Northgate Carers' Breaks", "Summit Learning Disability Services", "Thistle Domiciliary Care", "Unity Support Brokerage",
)
