#!/usr/bin/env python3
"""Writes the hand-built showcase patients of launch/sandbox/ (FHIR R4 transaction Bundles).

Synthea never emits CRPS, psychosis, cirrhosis, pregnancy tests, ketamine allergies and the like, so
these records are built here from small builders instead of being copied JSON. Every entry is a PUT
with a fixed id, so loading a bundle twice into the sandbox server leaves one copy. All dates are
relative to the as-of date 2026-06-01 (launch/sandbox/README.md holds the expected assessments).

Usage: scripts/sandbox/build-sandbox-bundles.py   (rewrites launch/sandbox/*.json)
"""
import json
import pathlib
import uuid

OUT = pathlib.Path(__file__).resolve().parents[2] / "launch" / "sandbox"

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
MRN = "https://ketamine-advisor.org/fhir/sandbox-mrn"
TZ = "-04:00"  # Massachusetts summer time; the engine compares dates as written


def coding(system, code, display):
    return {"system": system, "code": code, "display": display}


def concept(system, code, display, text=None):
    c = {"coding": [coding(system, code, display)]}
    if text:
        c["text"] = text
    return c


def hl7(cs, code, display=None):
    c = {"system": "http://terminology.hl7.org/CodeSystem/" + cs, "code": code}
    if display:
        c["display"] = display
    return {"coding": [c]}


def qty(value, unit, code=None):
    return {"value": value, "unit": unit, "system": UCUM, "code": code or unit}


def at(day, time="09:30:00"):
    return f"{day}T{time}{TZ}"


class PatientBundle:
    """One patient's transaction Bundle; resources refer to each other by urn:uuid fullUrls."""

    def __init__(self, pid):
        self.pid = pid
        self.entries = []
        self.count = {}

    def _id(self, kind):
        self.count[kind] = self.count.get(kind, 0) + 1
        return f"{self.pid}-{kind}-{self.count[kind]}"

    def url(self, rid):
        # Stable across runs: the sandbox reload and git diffs stay quiet.
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://ketamine-advisor.org/sandbox/" + rid))

    def add(self, resource):
        rtype = resource["resourceType"]
        self.entries.append({
            "fullUrl": self.url(resource["id"]),
            "resource": resource,
            "request": {"method": "PUT", "url": f"{rtype}/{resource['id']}"},
        })
        return resource

    def subject(self):
        return {"reference": self.url(self.pid)}

    def patient(self, given, family, gender, birth, **extra):
        p = {"resourceType": "Patient", "id": self.pid,
             "identifier": [{"system": MRN, "value": "KA-" + self.pid.upper()}],
             "active": True,
             "name": [{"use": "official", "family": family, "given": given.split()}],
             "gender": gender, "birthDate": birth,
             "address": [{"city": "Boston", "state": "MA", "country": "US"}]}
        p.update(extra)
        return self.add(p)

    def condition(self, system, code, display, onset, status="active", abated=None,
                  verification="confirmed", text=None):
        c = {"resourceType": "Condition", "id": self._id("condition"),
             "clinicalStatus": hl7("condition-clinical", status),
             "verificationStatus": hl7("condition-ver-status", verification),
             "category": [hl7("condition-category", "problem-list-item", "Problem List Item")],
             "code": concept(system, code, display, text),
             "subject": self.subject(), "onsetDateTime": onset}
        if abated:
            c["abatementDateTime"] = abated
        c["recordedDate"] = onset
        return self.add(c)

    def _observation(self, category, code, effective, **value):
        o = {"resourceType": "Observation", "id": self._id("obs"), "status": "final",
             "category": [hl7("observation-category", category)],
             "code": code, "subject": self.subject(), "effectiveDateTime": effective}
        o.update(value)
        return self.add(o)

    def blood_pressure(self, day, systolic, diastolic):
        return self._observation("vital-signs", concept(LOINC, "85354-9", "Blood pressure panel with all children optional"),
                                 at(day), component=[
                                     {"code": concept(LOINC, "8480-6", "Systolic blood pressure"),
                                      "valueQuantity": qty(systolic, "mm[Hg]")},
                                     {"code": concept(LOINC, "8462-4", "Diastolic blood pressure"),
                                      "valueQuantity": qty(diastolic, "mm[Hg]")}])

    def heart_rate(self, day, bpm):
        return self._observation("vital-signs", concept(LOINC, "8867-4", "Heart rate"), at(day),
                                 valueQuantity=qty(bpm, "/min"))

    def weight(self, day, value, unit="kg"):
        return self._observation("vital-signs", concept(LOINC, "29463-7", "Body weight"), at(day),
                                 valueQuantity=qty(value, {"kg": "kg", "[lb_av]": "lb"}[unit], unit))

    def pain(self, day, score):
        return self._observation("survey", concept(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                                 at(day), valueQuantity=qty(score, "{score}"))

    def liver_test(self, day, loinc, display, value, upper):
        flags = {"interpretation": [hl7("v3-ObservationInterpretation", "H", "High")]} if value > upper else {}
        return self._observation("laboratory", concept(LOINC, loinc, display), at(day, "08:10:00"),
                                 valueQuantity=qty(value, "U/L"),
                                 referenceRange=[{"low": qty(7, "U/L"), "high": qty(upper, "U/L")}], **flags)

    def coded_result(self, category, code, day, value):
        return self._observation(category, code, at(day), valueCodeableConcept=value)

    def medication_statement(self, med, status, start, end=None, reason=None):
        period = {"start": start}
        if end:
            period["end"] = end
        m = {"resourceType": "MedicationStatement", "id": self._id("medstatement"), "status": status,
             "medicationCodeableConcept": med, "subject": self.subject(), "effectivePeriod": period,
             "dateAsserted": end or start}
        if reason:
            m["statusReason"] = [{"text": reason}]
        return self.add(m)

    def medication_request(self, med, status, authored, dosage, contained=False, end=None):
        m = {"resourceType": "MedicationRequest", "id": self._id("medrequest"), "status": status,
             "intent": "order", "subject": self.subject(), "authoredOn": authored,
             "dosageInstruction": [{"text": dosage}]}
        if contained:
            m["contained"] = [{"resourceType": "Medication", "id": "med", "code": med}]
            m["medicationReference"] = {"reference": "#med"}
        else:
            m["medicationCodeableConcept"] = med
        if end:
            m["dispenseRequest"] = {"validityPeriod": {"start": authored, "end": end}}
        return self.add(m)

    def allergy(self, code, recorded, reaction):
        return self.add({"resourceType": "AllergyIntolerance", "id": self._id("allergy"),
                         "clinicalStatus": hl7("allergyintolerance-clinical", "active"),
                         "verificationStatus": hl7("allergyintolerance-verification", "confirmed"),
                         "type": "allergy", "category": ["medication"], "criticality": "high",
                         "code": code, "patient": self.subject(), "recordedDate": recorded,
                         "reaction": [{"manifestation": [reaction], "severity": "severe"}]})

    def write(self):
        bundle = {"resourceType": "Bundle", "id": "sandbox-" + self.pid, "type": "transaction",
                  "entry": self.entries}
        path = OUT / f"{self.pid}.json"
        path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


# Codes, each taken from terminology/*.tsv (file named in the comment).
CRPS = (SNOMED, "128200000", "Complex regional pain syndrome (disorder)")  # neuropathic-pain-indications, crps
CRPS_TYPE_1 = (SNOMED, "734947007", "Complex regional pain syndrome type I (disorder)")  # crps
CRPS_RIGHT_ARM = (ICD10, "G90.511", "Complex regional pain syndrome I of right upper limb")  # crps
CRPS_LEFT_LEG = (ICD10, "G90.522", "Complex regional pain syndrome I of left lower limb")  # crps
CENTRAL_PAIN_DOTLESS = (ICD10, "G890", "Central pain syndrome")  # G89.0, central; dotless on purpose
DIABETIC_NEUROPATHY = (SNOMED, "368581000119106", "Neuropathy due to type 2 diabetes mellitus (disorder)")  # peripheral
T1_POLYNEUROPATHY = (ICD10, "E10.42", "Type 1 diabetes mellitus with diabetic polyneuropathy")  # peripheral
POSTHERPETIC = (ICD10, "B02.29", "Other postherpetic nervous system involvement")  # peripheral
TRIGEMINAL = (SNOMED, "31681005", "Trigeminal neuralgia (disorder)")  # peripheral
LUMBAR_RADICULOPATHY = (SNOMED, "128196005", "Lumbar radiculopathy (disorder)")  # peripheral
SCIATICA = (SNOMED, "23056005", "Sciatica (disorder)")  # peripheral
LOW_BACK_PAIN = (SNOMED, "278860009", "Chronic low back pain (finding)")  # deliberately NOT an indication
HYPERTENSION = (SNOMED, "59621000", "Essential hypertension (disorder)")  # hypertension
SCHIZOPHRENIA = (ICD10, "F20.0", "Paranoid schizophrenia")  # psychotic-disorders
CIRRHOSIS = (ICD10, "K74.60", "Unspecified cirrhosis of liver")  # severe-hepatic-disease

GABAPENTIN = concept(RXNORM, "310431", "gabapentin 300 MG Oral Capsule")  # first-line (gabapentinoid); cns-depressants
PREGABALIN = concept(RXNORM, "483450", "pregabalin 75 MG Oral Capsule")  # first-line; cns-depressants
AMITRIPTYLINE = concept(RXNORM, "856834", "amitriptyline hydrochloride 25 MG Oral Tablet")  # first-line (tca)
NORTRIPTYLINE = concept(RXNORM, "317136", "nortriptyline 25 MG Oral Capsule")  # first-line (tca)
DULOXETINE = concept(RXNORM, "596934", "duloxetine 60 MG Delayed Release Oral Capsule")  # first-line (snri)
OXYCODONE = concept(RXNORM, "1049683", "oxycodone hydrochloride 10 MG Oral Tablet")  # opioids
OXYCODONE_APAP = concept(RXNORM, "1049221", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet")  # opioids
LORAZEPAM = concept(RXNORM, "197901", "lorazepam 1 MG Oral Tablet")  # benzodiazepines
KETAMINE = concept(RXNORM, "6130", "ketamine")  # ketamine

PREGNANCY_STATUS = concept(LOINC, "82810-3", "Pregnancy status")  # observation-codes
PREGNANT = concept(SNOMED, "77386006", "Pregnant (finding)")  # pregnancy
URINE_HCG = concept(LOINC, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine")  # hcg-tests, presence
POSITIVE = concept(SNOMED, "10828004", "Positive (qualifier value)")  # CLINICAL-RULES 2.2
NEGATIVE = concept(SNOMED, "260385009", "Negative (qualifier value)")  # CLINICAL-RULES 2.2
SKIN_ERUPTION = concept(SNOMED, "271807003", "Eruption of skin (disorder)")  # a reaction, not a rule input


def vitals(b, day, bp, hr, kg, pain, unit="kg"):
    """The usual pre-assessment visit: BP, heart rate, weight, pain score."""
    b.blood_pressure(day, *bp)
    b.heart_rate(day, hr)
    b.weight(day, kg, unit)
    b.pain(day, pain)


def crps_suitable():
    b = PatientBundle("crps-suitable")
    b.patient("Maria Elena", "Costa", "female", "1978-03-14")
    b.condition(*CRPS, onset="2025-09-10", text="CRPS right foot after ankle fracture")
    b.medication_statement(GABAPENTIN, "completed", "2025-10-01", "2026-01-15",
                           reason="No meaningful relief at 2400 mg/day")
    b.blood_pressure("2025-12-02", 124, 80)
    b.pain("2025-12-02", 8)
    vitals(b, "2026-05-20", (128, 82), 76, 72, 7)
    return b


def sci_precautions():
    b = PatientBundle("sci-precautions")
    b.patient("Daniel", "Okafor", "male", "1969-07-02")
    b.condition(*CENTRAL_PAIN_DOTLESS, onset="2021-03-18", text="Central neuropathic pain after T10 spinal cord injury")
    b.condition(*HYPERTENSION, onset="2018-06-05")
    b.medication_request(PREGABALIN, "stopped", "2021-06-01", "75 mg twice daily", end="2022-02-01")
    b.medication_request(OXYCODONE, "active", "2026-04-01", "10 mg every 8 hours as needed", contained=True)
    vitals(b, "2026-05-25", (150, 92), 88, 81, 8)
    return b


def psychosis_contraindicated():
    b = PatientBundle("psychosis-contraindicated")
    b.patient("Robert", "Lindqvist", "male", "1961-10-09")
    b.condition(*DIABETIC_NEUROPATHY, onset="2022-04-11")
    b.condition(*SCHIZOPHRENIA, onset="1989-05-02", status="resolved", abated="2004-01-01")
    b.medication_request(DULOXETINE, "active", "2025-08-14", "60 mg once daily")
    vitals(b, "2026-05-18", (132, 84), 80, 95, 6)
    return b


def pregnant_contraindicated():
    b = PatientBundle("pregnant-contraindicated")
    b.patient("Aisha", "Rahman", "female", "1992-05-30")
    b.condition(*POSTHERPETIC, onset="2025-07-20", text="Postherpetic neuralgia, left T6 dermatome")
    b.medication_statement(AMITRIPTYLINE, "completed", "2025-08-01", "2025-12-20",
                           reason="Stopped because of sedation")
    vitals(b, "2026-05-15", (118, 74), 84, 64, 6)
    b.coded_result("social-history", PREGNANCY_STATUS, "2026-05-15", PREGNANT)
    return b


def pregnancy_superseded():
    b = PatientBundle("pregnancy-superseded")
    b.patient("Sofia", "Marchetti", "female", "1988-11-23")
    b.condition(*T1_POLYNEUROPATHY, onset="2023-02-07")
    b.medication_request(PREGABALIN, "active", "2025-06-03", "75 mg twice daily")
    b.coded_result("laboratory", URINE_HCG, "2026-03-02", POSITIVE)
    b.coded_result("laboratory", URINE_HCG, "2026-05-26", NEGATIVE)
    vitals(b, "2026-05-26", (122, 78), 72, 61, 5)
    return b


def cirrhosis_contraindicated():
    b = PatientBundle("cirrhosis-contraindicated")
    b.patient("Thomas", "Brennan", "male", "1966-02-17")
    b.condition(*LUMBAR_RADICULOPATHY, onset="2024-09-30")
    b.condition(*CIRRHOSIS, onset="2023-11-12")
    b.medication_statement(GABAPENTIN, "completed", "2024-10-15", "2025-03-01",
                           reason="Insufficient relief")
    b.liver_test("2026-05-20", "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", 150, 40)
    b.liver_test("2026-05-20", "1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", 98, 40)
    vitals(b, "2026-05-20", (134, 86), 82, 88, 7)
    return b


def needs_information():
    b = PatientBundle("needs-information")
    b.patient("Helen", "Whitaker", "female", "1975-08-08")
    b.condition(*TRIGEMINAL, onset="2025-11-03", text="Right trigeminal neuralgia, V2")
    b.blood_pressure("2025-11-03", 138, 88)  # older than 30 days on purpose
    b.pain("2026-05-12", 8)
    return b


def not_indicated():
    b = PatientBundle("not-indicated")
    b.patient("Kevin", "Doyle", "male", "1980-04-26")
    b.condition(*LOW_BACK_PAIN, onset="2022-01-15")
    b.medication_statement(DULOXETINE, "completed", "2024-03-01", "2024-09-01", reason="No effect")
    vitals(b, "2026-05-21", (126, 80), 70, 90, 6)
    return b


def ketamine_allergy():
    b = PatientBundle("ketamine-allergy")
    b.patient("Grace", "Nakamura", "female", "1983-12-01")
    b.condition(*CRPS_RIGHT_ARM, onset="2025-04-22", text="CRPS I right hand after carpal tunnel release")
    b.medication_statement(NORTRIPTYLINE, "completed", "2025-05-10", "2025-10-01", reason="No effect at 75 mg")
    b.allergy(KETAMINE, "2019-03-11", SKIN_ERUPTION)
    vitals(b, "2026-05-19", (124, 80), 74, 70, 7)
    return b


def opioid_benzo():
    b = PatientBundle("opioid-benzo")
    b.patient("Michael", "Reyes", "male", "1972-09-15")
    b.condition(*CRPS_TYPE_1, onset="2024-12-02", text="CRPS I left hand after wrist fracture")
    b.medication_request(GABAPENTIN, "stopped", "2025-01-10", "600 mg three times daily", end="2025-06-30")
    b.medication_statement(OXYCODONE_APAP, "active", "2025-07-01")
    b.medication_request(LORAZEPAM, "active", "2026-02-12", "1 mg at bedtime as needed")
    vitals(b, "2026-05-27", (136, 84), 84, 176, 8, unit="[lb_av]")
    return b


def prior_therapy_elsewhere():
    # everything is recorded except a first-line trial: the clinician attests it (the app's attest-then-sign path)
    b = PatientBundle("prior-therapy-elsewhere")
    b.patient("Samuel", "Okafor", "male", "1968-07-02")
    b.condition(*TRIGEMINAL, onset="2024-02-11", text="Right trigeminal neuralgia, V2/V3")
    vitals(b, "2026-05-28", (126, 78), 72, 84, 8)
    return b


def bp_missing():
    # everything recorded but a blood pressure within 30 days: the clinician enters one (§ 2.4 by value); an entered
    # 190/105 makes the verdict contraindicated, an entered 126/80 suitable
    b = PatientBundle("bp-missing")
    b.patient("Hannah", "Lindqvist", "female", "1981-04-22")
    b.condition(*CRPS_RIGHT_ARM, onset="2025-08-14", text="CRPS I right hand after wrist surgery")
    b.medication_statement(DULOXETINE, "completed", "2025-09-01", "2026-02-01", reason="Nausea, no relief")
    b.blood_pressure("2026-03-10", 126, 80)
    b.heart_rate("2026-05-29", 78)
    b.weight("2026-05-29", 68)
    b.pain("2026-05-29", 8)
    return b


def signed_plan():
    # suitable; the sandbox signs its plan at start-up (as dr.ada), so a launch shows the signed state and the
    # clinician can revise it
    b = PatientBundle("signed-plan")
    b.patient("Tomas", "Ferreira", "male", "1967-11-05")
    b.condition(*CRPS, onset="2025-06-02", text="CRPS left foot after fracture")
    b.medication_statement(PREGABALIN, "completed", "2025-07-01", "2025-12-20", reason="Dizziness, no relief")
    vitals(b, "2026-05-26", (124, 78), 70, 90, 7)
    return b


def deceased():
    b = PatientBundle("deceased")
    b.patient("Walter", "Price", "male", "1950-01-30", deceasedDateTime="2026-02-14T06:40:00-05:00")
    b.condition(*SCIATICA, onset="2024-05-06")
    return b


def minor():
    b = PatientBundle("minor")
    b.patient("Lily", "Chen", "female", "2010-01-20")
    b.condition(*CRPS_LEFT_LEG, onset="2025-10-01", text="CRPS I left foot after sprain")
    b.medication_request(GABAPENTIN, "active", "2025-12-01", "300 mg three times daily")
    vitals(b, "2026-05-22", (112, 70), 86, 52, 7)
    return b


def course_mid(pid, given, family, gender, birth):
    # signed on 2026-05-26 (the sandbox signs it at start-up as of that day, as dr.ada): P-CRPS from Wednesday
    # 2026-05-27; the sandbox documents the sessions given before 2026-06-01 as MedicationAdministrations and
    # records this morning's vital signs at start-up (rule set v1.1 § 8.2 looks back 4 hours)
    b = PatientBundle(pid)
    b.patient(given, family, gender, birth)
    b.condition(*CRPS, onset="2025-08-12", text="CRPS left hand after wrist fracture")
    b.medication_statement(GABAPENTIN, "completed", "2025-09-01", "2026-02-01", reason="No relief at 1800 mg/day")
    vitals(b, "2026-05-18", (126, 80), 72, 78, 8)
    return b


def course_go():
    return course_mid("course-go", "Daniel", "Okafor", "male", "1974-04-02")


def course_hold():
    return course_mid("course-hold", "Ruth", "Alvarez", "female", "1965-09-23")


def course_done(pid, given, family, gender, birth, baseline, scores):
    # signed on 2026-02-16: P-CRPS, ten sessions 2026-02-17 to 2026-03-02 (all given, documented at start-up);
    # follow-ups 1, 4 and 12 weeks after the last session: 2026-03-09, 2026-03-30, 2026-05-25
    b = PatientBundle(pid)
    b.patient(given, family, gender, birth)
    b.condition(*CRPS, onset="2025-07-01", text="CRPS right foot after surgery")
    b.medication_statement(DULOXETINE, "completed", "2025-08-01", "2026-01-10", reason="No meaningful relief")
    vitals(b, "2026-02-10", (124, 78), 70, 80, baseline)
    for day, score in zip(("2026-03-09", "2026-03-31"), scores[:2]):
        b.pain(day, score)
    vitals(b, "2026-05-26", (122, 76), 68, 80, scores[2])
    return b


def course_responder():
    return course_done("course-responder", "Helen", "Baptiste", "female", "1962-12-01", 8, (5, 4, 4))


def course_non_responder():
    return course_done("course-non-responder", "George", "Lindqvist", "male", "1959-06-17", 7, (7, 6, 6))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for build in (crps_suitable, sci_precautions, psychosis_contraindicated, pregnant_contraindicated,
                  pregnancy_superseded, cirrhosis_contraindicated, needs_information, not_indicated,
                  ketamine_allergy, opioid_benzo, prior_therapy_elsewhere, bp_missing, signed_plan, deceased, minor,
                  course_go, course_hold, course_responder, course_non_responder):
        print(build().write().relative_to(OUT.parents[1]))
