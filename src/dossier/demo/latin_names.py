"""Common first and last names per country, hand-written for the demo's foreign guests.

Each pool has men's first names, women's first names and surnames; a surname written
``Novák/Nováková`` has a women's form after the slash. Countries without a pool of
their own use the English one. ``ISO2`` gives the two-letter code of each country the
demo can give a phone number; the others get a passport only.
"""

from typing import NamedTuple


class NamePool(NamedTuple):
    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]


ENGLISH = NamePool(
    ("James", "Oliver", "Thomas", "William", "Jack", "Harry", "George", "Daniel",
     "Michael", "David", "Robert", "Matthew", "Andrew", "Peter"),
    ("Emily", "Sophie", "Charlotte", "Olivia", "Emma", "Grace", "Lucy", "Hannah",
     "Sarah", "Laura", "Rachel", "Jessica", "Amelia", "Claire"),
    ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
     "Evans", "Walker", "Wright", "Roberts", "Thompson", "Clarke", "Hughes", "Green"),
)  # fmt: skip
IRISH = NamePool(
    ("Seán", "Conor", "Patrick", "Liam", "Ciarán", "Darragh", "Eoin", "Niall"),
    ("Aoife", "Siobhán", "Niamh", "Ciara", "Róisín", "Orla", "Sinéad", "Mary"),
    ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan", "O'Brien", "Doyle",
     "McCarthy", "Gallagher", "Kennedy", "Lynch"),
)  # fmt: skip
AMERICAN = NamePool(
    ("John", "Michael", "Christopher", "Joshua", "Ryan", "Brandon", "Tyler", "Kevin",
     "Jason", "Justin", "Eric", "Mark"),
    ("Jennifer", "Ashley", "Megan", "Amanda", "Nicole", "Stephanie", "Brittany",
     "Elizabeth", "Lauren", "Kimberly", "Melissa", "Heather"),
    ("Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson", "Moore",
     "Jackson", "White", "Harris", "Martin", "Lee", "Thompson", "Young"),
)  # fmt: skip
FRENCH = NamePool(
    ("Jean", "Pierre", "Nicolas", "Julien", "Antoine", "Mathieu", "Sébastien",
     "François", "Thibault", "Guillaume", "Étienne", "Olivier"),
    ("Élodie", "Camille", "Chloé", "Manon", "Céline", "Amélie", "Hélène", "Léa",
     "Margaux", "Aurélie", "Sophie", "Isabelle"),
    ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
     "Leroy", "Moreau", "Lefèvre", "Fournier", "Girard", "Bonnet", "Mercier"),
)  # fmt: skip
GERMAN = NamePool(
    ("Lukas", "Jonas", "Maximilian", "Felix", "Tobias", "Stefan", "Jürgen", "Florian",
     "Matthias", "Andreas", "Markus", "Sebastian"),
    ("Anna", "Lena", "Katharina", "Julia", "Sabine", "Jana", "Franziska", "Lea",
     "Miriam", "Ursula", "Jessika", "Sophie"),
    ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
     "Becker", "Schulz", "Hoffmann", "Koch", "Schäfer", "Bauer", "Richter", "Wolf"),
)  # fmt: skip
SPANISH = NamePool(
    ("Javier", "Alejandro", "Pablo", "Sergio", "Daniel", "Carlos", "Álvaro", "Jorge",
     "Adrián", "Manuel", "Diego", "Raúl"),
    ("Lucía", "María", "Paula", "Laura", "Marta", "Carmen", "Sofía", "Elena",
     "Nerea", "Alba", "Ainhoa", "Cristina"),
    ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
     "Pérez", "Gómez", "Ruiz", "Jiménez", "Moreno", "Álvarez", "Muñoz"),
)  # fmt: skip
ITALIAN = NamePool(
    ("Marco", "Luca", "Giuseppe", "Alessandro", "Francesco", "Matteo", "Lorenzo",
     "Andrea", "Davide", "Simone", "Stefano", "Riccardo"),
    ("Giulia", "Francesca", "Chiara", "Sara", "Martina", "Federica", "Valentina",
     "Alessia", "Elisa", "Silvia", "Paola", "Beatrice"),
    ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
     "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa"),
)  # fmt: skip
PORTUGUESE = NamePool(
    ("João", "Tiago", "Rodrigo", "Miguel", "Gonçalo", "Rui", "Pedro", "André",
     "Luís", "Bruno", "Nuno", "Ricardo"),
    ("Ana", "Beatriz", "Inês", "Mariana", "Joana", "Catarina", "Sofia", "Leonor",
     "Rita", "Conceição", "Marta", "Patrícia"),
    ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
     "Martins", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques"),
)  # fmt: skip
DUTCH = NamePool(
    ("Daan", "Sem", "Lars", "Thijs", "Bram", "Joost", "Pieter", "Ruben", "Jeroen",
     "Sander", "Wouter", "Koen"),
    ("Emma", "Sanne", "Lotte", "Fleur", "Eva", "Anouk", "Femke", "Marloes", "Iris",
     "Lieke", "Noor", "Roos"),
    ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
     "Smit", "Meijer", "de Boer", "Mulder", "Peeters", "Maes", "Janssens"),
)  # fmt: skip
NORDIC = NamePool(
    ("Erik", "Lars", "Anders", "Johan", "Mikael", "Henrik", "Jonas", "Magnus",
     "Oskar", "Mads", "Jukka", "Mikko"),
    ("Anna", "Ingrid", "Kristina", "Emma", "Sara", "Maja", "Sofie", "Karin", "Freja",
     "Linnea", "Aino", "Liisa"),
    ("Andersson", "Johansson", "Karlsson", "Nilsson", "Larsen", "Hansen", "Jensen",
     "Nielsen", "Olsen", "Berg", "Virtanen", "Korhonen", "Lindqvist"),
)  # fmt: skip
POLISH = NamePool(
    ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Jakub",
     "Kamil", "Mateusz"),
    ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Małgorzata", "Joanna", "Ewa",
     "Zofia", "Aleksandra", "Natalia"),
    ("Nowak", "Kowalski/Kowalska", "Wiśniewski/Wiśniewska", "Wójcik",
     "Kowalczyk", "Kamiński/Kamińska", "Lewandowski/Lewandowska", "Zieliński/Zielińska",
     "Szymański/Szymańska", "Dąbrowski/Dąbrowska"),
)  # fmt: skip
RUSSIAN = NamePool(
    ("Alexander", "Dmitry", "Sergey", "Andrey", "Alexey", "Maxim", "Ivan", "Mikhail",
     "Nikolai", "Pavel"),
    ("Anastasia", "Elena", "Olga", "Natalia", "Tatiana", "Irina", "Ekaterina",
     "Maria", "Svetlana", "Yulia"),
    ("Ivanov/Ivanova", "Smirnov/Smirnova", "Kuznetsov/Kuznetsova", "Popov/Popova",
     "Sokolov/Sokolova", "Lebedev/Lebedeva", "Kozlov/Kozlova", "Novikov/Novikova",
     "Morozov/Morozova", "Volkov/Volkova"),
)  # fmt: skip
CZECH = NamePool(
    ("Jan", "Petr", "Jiří", "Tomáš", "Martin", "Lukáš", "Ondřej", "Jakub"),
    ("Jana", "Eva", "Hana", "Lucie", "Tereza", "Kateřina", "Petra", "Veronika"),
    ("Novák/Nováková", "Svoboda/Svobodová", "Novotný/Novotná", "Dvořák/Dvořáková",
     "Černý/Černá", "Procházka/Procházková", "Kučera/Kučerová"),
)  # fmt: skip
JAPANESE = NamePool(
    ("Hiroshi", "Takashi", "Kenji", "Daisuke", "Yuki", "Shota", "Haruto", "Kazuya"),
    ("Yuko", "Aiko", "Haruka", "Misaki", "Sakura", "Naoko", "Emi", "Yui"),
    ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto",
     "Nakamura", "Kobayashi", "Kato"),
)  # fmt: skip
KOREAN = NamePool(
    ("Minjun", "Seojun", "Jihoon", "Hyunwoo", "DongHyun", "Jaewon", "Sungmin"),
    ("Jiwoo", "Seoyeon", "Minji", "Yuna", "Soojin", "Hyejin", "Eunji"),
    ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"),
)  # fmt: skip
HEBREW = NamePool(
    ("Noam", "Itai", "Yonatan", "Omer", "Eitan", "Ariel", "Daniel", "Amit"),
    ("Noa", "Tamar", "Maya", "Yael", "Shira", "Michal", "Adi", "Talia"),
    ("Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Dahan", "Avraham", "Friedman"),
)  # fmt: skip

POOLS: dict[str, NamePool] = {
    "GBR": ENGLISH, "AUS": ENGLISH, "NZL": ENGLISH, "ZAF": ENGLISH, "IRL": IRISH,
    "USA": AMERICAN, "CAN": AMERICAN, "FRA": FRENCH, "BEL": FRENCH, "LUX": FRENCH,
    "DEU": GERMAN, "AUT": GERMAN, "CHE": GERMAN, "ESP": SPANISH, "ARG": SPANISH,
    "MEX": SPANISH, "COL": SPANISH, "CHL": SPANISH, "ITA": ITALIAN, "PRT": PORTUGUESE,
    "BRA": PORTUGUESE, "AGO": PORTUGUESE, "MOZ": PORTUGUESE, "NLD": DUTCH,
    "SWE": NORDIC, "NOR": NORDIC, "DNK": NORDIC, "FIN": NORDIC, "ISL": NORDIC,
    "POL": POLISH, "RUS": RUSSIAN, "UKR": RUSSIAN, "CZE": CZECH, "SVK": CZECH,
    "JPN": JAPANESE, "KOR": KOREAN, "ISR": HEBREW,
}  # fmt: skip

ISO2: dict[str, str] = {
    "GBR": "GB", "AUS": "AU", "NZL": "NZ", "ZAF": "ZA", "IRL": "IE", "USA": "US",
    "CAN": "CA", "FRA": "FR", "BEL": "BE", "LUX": "LU", "DEU": "DE", "AUT": "AT",
    "CHE": "CH", "ESP": "ES", "ARG": "AR", "MEX": "MX", "COL": "CO", "CHL": "CL",
    "ITA": "IT", "PRT": "PT", "BRA": "BR", "AGO": "AO", "MOZ": "MZ", "NLD": "NL",
    "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "ISL": "IS", "POL": "PL",
    "RUS": "RU", "UKR": "UA", "CZE": "CZ", "SVK": "SK", "JPN": "JP", "KOR": "KR",
    "ISR": "IL", "HKG": "HK", "MAC": "MO", "TWN": "TW",
}  # fmt: skip


def pool_for(country: str) -> NamePool:
    return POOLS.get(country, ENGLISH)


def surname_form(surname: str, gender: str) -> str:
    """``Novák/Nováková``: the women's form for a woman, else the first form."""
    men, _, women = surname.partition("/")
    return women if gender == "F" and women else men
