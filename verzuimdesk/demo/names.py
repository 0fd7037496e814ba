"""Fictional names, streets and notes for the demo school (data only)."""

from __future__ import annotations

DUTCH_BOYS = [
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Noah", "Milan", "Bram", "Luuk", "Jesse", "Thijs", "Julian",
    "Ruben", "Stijn", "Gijs", "Teun", "Mees", "Jens", "Siem", "Thomas", "Max", "Bas", "Tim", "Ties", "Guus",
    "Olivier", "Hugo", "Mats", "Floris", "Jasper", "Tijn", "Boaz", "Jurre", "Sven", "Pim", "Niek", "Koen",
    "Wout", "Job", "Dex",
]  # fmt: skip
DUTCH_GIRLS = [
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Fenna", "Eva", "Anna", "Lotte", "Noor",
    "Liv", "Saar", "Evi", "Roos", "Isa", "Lieke", "Sanne", "Femke", "Jasmijn", "Maud", "Fleur", "Floor",
    "Hanna", "Yara", "Elin", "Nina", "Lynn", "Vera", "Ilse", "Merel", "Puck", "Jip", "Lana", "Olivia",
    "Sofie", "Esmee", "Feline",
]  # fmt: skip
DUTCH_SURNAMES: list[tuple[str, str]] = [
    ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"),
    ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"),
    ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"),
    ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"),
    ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("van", "Beek"), ("van der", "Wal"), ("", "Schouten"), ("", "Hoekstra"), ("van", "Vliet"), ("", "Kramer"),
    ("de", "Lange"), ("", "Willems"), ("", "Vink"), ("", "Post"), ("", "Wouters"), ("", "Koster"),
    ("van de", "Ven"), ("van 't", "Hof"), ("", "Verhoeven"), ("", "Prins"), ("van den", "Bosch"),
    ("", "Huisman"), ("van", "Rijn"), ("", "Kuipers"), ("van", "Wijk"), ("", "Zwart"), ("de", "Vries"),
    ("de", "Jong"), ("van", "Dijk"), ("van den", "Berg"), ("", "Verbeek"), ("ter", "Horst"), ("", "Veenstra"),
]  # fmt: skip

# Other backgrounds: (boys, girls, surnames, muslim) — roughly a fifth of the pupils.
BACKGROUNDS: list[tuple[list[str], list[str], list[tuple[str, str]], bool]] = [
    (["Emre", "Mehmet", "Kerem", "Yusuf", "Burak", "Efe"], ["Elif", "Zeynep", "Ebru", "Esra", "Defne"],
     [("", "Yılmaz"), ("", "Kaya"), ("", "Demir"), ("", "Öztürk"), ("", "Çelik"), ("", "Aydın")], True),
    (["Mohammed", "Ayoub", "Adam", "Bilal", "Rayan", "Hamza", "Ilias"], ["Fatima", "Aya", "Nour", "Yasmine",
     "Salma", "Ilham", "Hiba"], [("El", "Amrani"), ("", "Bouzid"), ("El", "Idrissi"), ("", "Benali"),
     ("", "Tahiri"), ("", "Azzouzi")], True),
    (["Jayden", "Dayvon", "Jamal", "Quincy", "Giovanni"], ["Sharona", "Naomi", "Dewi", "Shanice", "Kimberley"],
     [("", "Ramdin"), ("", "Sardjoe"), ("", "Doelwijt"), ("", "Biharie"), ("", "Martina")], False),
    (["Kacper", "Jakub", "Oskar", "Szymon"], ["Zofia", "Maja", "Lena", "Hanna"],
     [("", "Nowak"), ("", "Kaczmarek"), ("", "Wójcik"), ("", "Mazur")], False),
    (["Omar", "Amir", "Tariq", "Karim"], ["Maryam", "Lina", "Amira", "Rasha"],
     [("Al", "Hassan"), ("", "Haddad"), ("", "Khalil"), ("", "Darwish")], True),
]  # fmt: skip
BACKGROUND_WEIGHTS = [4, 5, 3, 2, 2]

FORMAL_NAMES = {
    "Bas": "Sebastiaan", "Tim": "Timotheus", "Max": "Maximiliaan", "Guus": "Augustinus", "Ties": "Matthias",
    "Koen": "Koenraad", "Niek": "Nicolaas", "Pim": "Willem", "Lotte": "Charlotte", "Saar": "Sara",
    "Floor": "Florentine", "Liv": "Olivia", "Evi": "Eva", "Isa": "Isabella", "Jip": "Johanna",
}  # fmt: skip
SECOND_BOY = ["Johannes", "Pieter", "Hendrik", "Willem", "Jan", "Cornelis", "Adriaan", "Jacobus"]
SECOND_GIRL = ["Maria", "Johanna", "Elisabeth", "Catharina", "Anna", "Wilhelmina", "Sophia"]
PARENT_MEN = ["Mark", "Jeroen", "Dennis", "Rick", "Martijn", "Bas", "Sander", "Erik", "Tom", "Joost"]
PARENT_WOMEN = ["Linda", "Marieke", "Sanne", "Esther", "Anouk", "Kim", "Iris", "Laura", "Femke", "Judith"]
STREETS = [
    "Wilgenlaan", "Populierenlaan", "Berkenhof", "Lindenstraat", "Meidoornweg", "Esdoornplein", "Kastanjelaan",
    "Elzenhof", "Beukenlaan", "Hazelaarweg", "Vlinderhof", "Merelstraat", "Zwanenhof", "Reigerlaan",
]  # fmt: skip
GEMEENTEN = [("Houten", "3991", 85), ("Bunnik", "3981", 15)]
SICK_NOTES = ["", "", "", "Koorts", "Griep", "Buikgriep", "Verkouden", "Oorontsteking", "Hoofdpijn"]
MEDICAL_NOTES = ["Tandarts", "Huisarts", "Orthodontist", "Ziekenhuis (controle)", "Logopedie"]

# ------------------------------------------------------------------------------------------ timetable
