package org.ketamineadvisor.advisor.assessment;

import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Concept;

/** Real codes from the shared code lists, named for what they are. */
final class Codes {
  static final String SNOMED = "http://snomed.info/sct";
  static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final String LOINC = "http://loinc.org";

  // indications
  static final Concept CRPS = snomed("128200000", "Complex regional pain syndrome (disorder)");
  static final Concept SPINAL_CORD_LESION = snomed("698754002", "Chronic paralysis due to lesion of spinal cord (disorder)");
  static final Concept HERPES_ZOSTER_RADICULITIS = snomed("424941009", "Herpes zoster radiculitis (disorder)");
  static final Concept FIBROMYALGIA = snomed("95417003", "Primary fibromyalgia syndrome (disorder)");
  // contraindications and precautions
  static final Concept SCHIZOPHRENIA = snomed("58214004", "Schizophrenia (disorder)");
  static final Concept PARANOID_SCHIZOPHRENIA_DOTLESS = code(ICD10, "F200", "Paranoid schizophrenia");
  static final Concept BIPOLAR = snomed("13746004", "Bipolar disorder (disorder)");
  static final Concept HYPERTENSION = snomed("38341003", "Hypertensive disorder, systemic arterial (disorder)");
  static final Concept HEART_FAILURE = snomed("84114007", "Heart failure (disorder)");
  static final Concept UNSTABLE_ANGINA = snomed("4557003", "Preinfarction syndrome (disorder)");
  static final Concept MYOCARDIAL_INFARCTION = snomed("22298006", "Myocardial infarction (disorder)");
  static final Concept HISTORY_OF_MI = snomed("399211009", "History of myocardial infarction (situation)");
  static final Concept STROKE = snomed("230690007", "Cerebrovascular accident (disorder)");
  static final Concept ATRIAL_FIBRILLATION = snomed("49436004", "Atrial fibrillation (disorder)");
  static final Concept CORONARY_ARTERIOSCLEROSIS = snomed("53741008", "Coronary arteriosclerosis (disorder)");
  static final Concept PREGNANCY = snomed("72892002", "Normal pregnancy (finding)");
  static final Concept CIRRHOSIS = snomed("19943007", "Cirrhosis of liver (disorder)");
  static final Concept HEPATITIS_C = snomed("128302006", "Chronic hepatitis C (disorder)");
  static final Concept ALCOHOLISM = snomed("7200002", "Alcoholism");
  static final Concept OPIOID_ABUSE = snomed("5602001", "Opioid abuse (disorder)");
  static final Concept OPIOID_DEPENDENCE_IN_REMISSION = snomed("191821007", "Opioid dependence in remission");
  static final Concept GLAUCOMA = snomed("23986001", "Glaucoma (disorder)");
  static final Concept INTRACRANIAL_HYPERTENSION = snomed("68267002", "Benign intracranial hypertension (disorder)");
  static final Concept THYROTOXICOSIS = snomed("4997005", "Thyrotoxicosis factitia (disorder)");
  static final Concept ASTHMA = snomed("195967001", "Asthma");
  // medications
  static final Concept OXYCODONE_5MG = code(RXNORM, "1049621", "oxycodone hydrochloride 5 MG Oral Tablet");
  static final Concept OXYCODONE_BY_NAME = new Concept(java.util.List.of(), "Oxycodone 5mg tab");
  static final Concept DIAZEPAM_5MG = code(RXNORM, "197591", "diazepam 5 MG Oral Tablet");
  static final Concept ZOLPIDEM = code(RXNORM, "39993", "zolpidem");
  static final Concept GABAPENTIN_300MG = code(RXNORM, "310431", "gabapentin 300 MG Oral Capsule");
  static final Concept DULOXETINE = code(RXNORM, "72625", "duloxetine");
  static final Concept METHYLPHENIDATE = code(RXNORM, "6901", "methylphenidate");
  static final Concept PHENELZINE = code(RXNORM, "8123", "phenelzine");
  static final Concept AMINOPHYLLINE = code(RXNORM, "689", "aminophylline");
  static final Concept THEOPHYLLINE_BY_NAME = new Concept(java.util.List.of(), "Theophylline 300 MG ER tablet");
  static final Concept KETAMINE = code(RXNORM, "6130", "ketamine");
  static final Concept PARACETAMOL = code(RXNORM, "161", "acetaminophen");
  // observations
  static final Concept BP_PANEL = loinc("85354-9", "Blood pressure panel with all children optional");
  static final Concept SYSTOLIC = loinc("8480-6", "Systolic blood pressure");
  static final Concept DIASTOLIC = loinc("8462-4", "Diastolic blood pressure");
  static final Concept HEART_RATE = loinc("8867-4", "Heart rate");
  static final Concept BODY_WEIGHT = loinc("29463-7", "Body weight");
  static final Concept PAIN_SEVERITY = loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported");
  static final Concept ALT = loinc("1742-6", "Alanine aminotransferase");
  static final Concept AST = loinc("1920-8", "Aspartate aminotransferase");
  static final Concept PREGNANCY_STATUS = loinc("82810-3", "Pregnancy status");
  static final Concept HCG_URINE = loinc("2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine");
  static final Concept HCG_SERUM_UNITS = loinc("19080-1", "Choriogonadotropin [Units/volume] in Serum or Plasma");
  static final Concept INTRAOCULAR_PRESSURE = loinc("79892-6", "Right eye Intraocular pressure");
  static final Concept PREGNANT = snomed("77386006", "Pregnant");
  static final Concept NOT_PREGNANT = snomed("60001007", "Not pregnant");
  static final Concept POSITIVE = snomed("10828004", "Positive");
  static final Concept NEGATIVE = snomed("260385009", "Negative");

  private Codes() {}

  static Concept snomed(String code, String display) {
    return code(SNOMED, code, display);
  }

  static Concept loinc(String code, String display) {
    return code(LOINC, code, display);
  }

  static Concept code(String system, String code, String display) {
    return Concept.of(new Code(system, code, display));
  }
}
