"""Matching a row to a CSP: the ONS code first, else force, name and the Home Office's aliases;
a code and a name that name different CSPs are a problem with the row, never a silent choice."""

import pytest

from crime_stats.importers.csp_matcher import CSPMatcher
from crime_stats.models import CSP
from tests.crime_stats.import_files import csv_bytes, plan_for, problem_texts

pytestmark = pytest.mark.django_db


def test_a_code_and_a_name_naming_different_csps_is_a_row_problem():
    content = csv_bytes(
        "CSP,ONS code,Period,Rate\n"
        "Leicester,E22000168,2019/20,80\n"
        "Nottingham,E22000168,2019/20,90\n"
    )

    plan = plan_for(content)

    assert problem_texts(plan) == [
        "row 3, column 'CSP': the ONS code E22000168 is Leicestershire - Leicester but the name "
        "'Nottingham' is Nottinghamshire - Nottingham: correct the code or the name so that "
        "both name one CSP"
    ]
    assert not plan.can_commit


def test_a_code_and_a_name_naming_different_csps_in_a_home_office_file_names_sheet_and_row():
    content = csv_bytes(
        "Financial Year,Financial Quarter,Police Force,CSP Name,CSP Code,Offence Description,"
        "Offence Group,Offence Subgroup,Offence Code,Offence Count\n"
        "2019/20,1,Leicestershire,Leicester,E22000168,Murder,Violence against the person,"
        "Homicide,1,5\n"
        "2019/20,1,Leicestershire,Leicester,E22000257,Murder,Violence against the person,"
        "Homicide,1,5\n"
    )

    problems = [p for p in plan_for(content).parsed.problems if p.column == "CSP Name"]

    assert [(p.row, p.column) for p in problems] == [(3, "CSP Name")]
    assert "the ONS code E22000257 is Nottinghamshire - Nottingham" in problems[0].message


def test_the_code_decides_when_the_name_is_one_the_portal_does_not_know():
    matcher = CSPMatcher()

    assert matcher.match("Shepway District", "Kent", "E22000145").csp.name == "Shepway"
    assert matcher.match("", "", "E22000999").unknown


@pytest.mark.parametrize(
    ("name", "force", "expected"),
    [
        ("Folkestone and Hythe", "Kent", "Shepway"),
        ("London, City of", "London, City of", "City of London"),
        ("Northern Devon", "Devon & Cornwall", "North Devon"),
        ("Kings Lynn and West Norfolk", "Norfolk", "King's Lynn and West Norfolk"),
        ("Kingston upon Hull", "Humberside", "Kingston upon Hull, City of"),
        ("Avon & Somerset - Bristol, City of", "", "Bristol, City of"),
    ],
)
def test_the_home_offices_spellings_find_the_ons_csp(name, force, expected):
    assert CSPMatcher().match(name, force).csp.name == expected


@pytest.mark.parametrize(
    "name", ["Unassigned Kent", "Unassigned Devon & Cornwall", "Manchester Airport"]
)
def test_areas_that_are_not_csps_are_recognised_never_unknown(name):
    found = CSPMatcher().match(name, "Kent")

    assert found.csp is None and not found.unknown and found.not_csp


def test_every_csp_of_england_and_wales_can_be_found_by_its_code():
    matcher = CSPMatcher()
    assert all(matcher.match("", "", csp.ons_code).csp == csp for csp in CSP.objects.all())
