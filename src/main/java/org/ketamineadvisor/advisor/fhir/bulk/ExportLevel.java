package org.ketamineadvisor.advisor.fhir.bulk;

/** Which patients a Bulk Data export covers: the whole system, one Group's members, or every patient. */
public enum ExportLevel {
  SYSTEM,
  GROUP,
  PATIENT
}
