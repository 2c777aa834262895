"""Seed the reference lists. Slugs are stable identifiers (CSV files, matching engine);
names can be edited later in the admin. Running it again only adds what is missing."""

from django.db import migrations

FUNCTIONS = [
    ("engineering", "Engineering", "Rekayasa"),
    ("product", "Product management", "Manajemen produk"),
    ("design", "Design", "Desain"),
    ("data", "Data and analytics", "Data dan analitik"),
    ("marketing", "Marketing", "Pemasaran"),
    ("sales", "Sales", "Penjualan"),
    ("finance", "Finance", "Keuangan"),
    ("operations", "Operations", "Operasional"),
    ("people", "People and HR", "SDM"),
    ("legal", "Legal", "Hukum"),
    ("research", "Research", "Riset"),
    ("support", "Customer support", "Layanan pelanggan"),
    ("general-management", "General management", "Manajemen umum"),
]
SENIORITY = [
    ("intern", "Intern", "Magang"),
    ("junior", "Junior", "Junior"),
    ("mid", "Mid-level", "Menengah"),
    ("senior", "Senior", "Senior"),
    ("lead", "Lead", "Lead"),
    ("manager", "Manager", "Manajer"),
    ("director", "Director", "Direktur"),
    ("executive", "Executive", "Eksekutif"),
]
INDUSTRIES = [
    ("software", "Software", "Perangkat lunak"),
    ("banking", "Banking and finance", "Perbankan dan keuangan"),
    ("retail", "Retail", "Ritel"),
    ("health", "Health care", "Kesehatan"),
    ("education", "Education", "Pendidikan"),
    ("energy", "Energy", "Energi"),
    ("media", "Media", "Media"),
    ("logistics", "Logistics", "Logistik"),
    ("government", "Government", "Pemerintahan"),
    ("telecom", "Telecommunications", "Telekomunikasi"),
    ("consulting", "Consulting", "Konsultansi"),
    ("manufacturing", "Manufacturing", "Manufaktur"),
]
GUIDANCE = [
    ("career-path", "Career path", "Jalur karier"),
    ("promotion", "Promotion", "Promosi"),
    ("leadership", "Leadership", "Kepemimpinan"),
    ("skills", "Skills", "Keterampilan"),
    ("company-culture", "Navigating company culture", "Memahami budaya perusahaan"),
    ("changing-field", "Changing field", "Pindah bidang"),
    ("job-search", "Job search", "Mencari kerja"),
    ("entrepreneurship", "Entrepreneurship", "Kewirausahaan"),
    ("work-life", "Work-life balance", "Keseimbangan kerja dan hidup"),
    ("other", "Other", "Lainnya"),
]
VALUES = [
    ("integrity", "Integrity", "Integritas"),
    ("curiosity", "Curiosity", "Rasa ingin tahu"),
    ("family", "Family", "Keluarga"),
    ("ambition", "Ambition", "Ambisi"),
    ("balance", "Balance", "Keseimbangan"),
    ("service", "Service to others", "Melayani sesama"),
    ("courage", "Courage", "Keberanian"),
    ("humility", "Humility", "Kerendahan hati"),
    ("creativity", "Creativity", "Kreativitas"),
    ("learning", "Learning", "Belajar"),
    ("fairness", "Fairness", "Keadilan"),
    ("independence", "Independence", "Kemandirian"),
]
WORK_STYLE = [
    ("structure", "Planning", "Perencanaan", "Structured", "Terstruktur", "Spontaneous", "Spontan"),
    ("communication", "Communication", "Komunikasi", "Written", "Tertulis", "Spoken", "Lisan"),
    ("feedback", "Feedback", "Umpan balik", "Direct", "Langsung", "Diplomatic", "Diplomatis"),
]
HUMOUR = [
    ("dry", "Dry", "Datar"),
    ("playful", "Playful", "Jenaka"),
    ("dark", "Dark", "Gelap"),
    ("wordplay", "Wordplay", "Permainan kata"),
    ("self-deprecating", "Self-deprecating", "Menertawakan diri sendiri"),
    ("absurd", "Absurd", "Absurd"),
]


def seed(apps, schema_editor):
    ListItem = apps.get_model("people", "ListItem")
    existing = set(ListItem.objects.values_list("kind", "slug"))
    rows = []

    def add(kind, position, slug, en, id_, **extra):
        if (kind, slug) not in existing:
            rows.append(
                ListItem(kind=kind, slug=slug, name_en=en, name_id=id_, position=position, **extra)
            )

    for kind, items in [
        ("function", FUNCTIONS),
        ("industry", INDUSTRIES),
        ("guidance", GUIDANCE),
        ("value", VALUES),
        ("humour", HUMOUR),
    ]:
        for position, (slug, en, id_) in enumerate(items, start=1):
            add(kind, position, slug, en, id_)
    for level, (slug, en, id_) in enumerate(SENIORITY, start=1):
        add("seniority", level, slug, en, id_, level=level)
    for position, (slug, en, id_, low_en, low_id, high_en, high_id) in enumerate(WORK_STYLE, 1):
        add(
            "work_style", position, slug, en, id_,
            low_en=low_en, low_id=low_id, high_en=high_en, high_id=high_id,
        )
    ListItem.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
