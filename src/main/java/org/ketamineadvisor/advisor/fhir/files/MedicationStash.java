package org.ketamineadvisor.advisor.fhir.files;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Medication resources seen while scanning, kept as raw JSON in memory (they are few and small) so
 * that each patient's MedicationRequests and MedicationStatements can be given the ones they cite.
 * A Bundle's Medications serve only that Bundle's resources; those from NDJSON or single-resource
 * files serve everyone, by id. Serializable: the Spark job gathers them from every file and sends one stash to the
 * tasks that parse patients.
 */
public final class MedicationStash implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern MEDICATION_REFERENCE =
      Pattern.compile("(?:^|/)Medication/([^/]+)(?:/_history/[^/]*)?$");
  private static final String UUID_PREFIX = "urn:uuid:";

  private final Map<String, SpooledResource> shared = new HashMap<>();
  private final Map<String, SpooledResource> inBundles = new HashMap<>();

  public MedicationStash() {}

  /** Adds a Medication as the files are read (the first one under a name wins); see {@link KeptResources}. */
  public void add(SpooledResource medication, boolean inBundle) {
    if (inBundle) {
      addFromBundle(medication);
    } else {
      addShared(medication);
    }
  }

  void addShared(SpooledResource medication) {
    if (medication.id() != null) {
      shared.putIfAbsent(medication.id(), medication);
    }
  }

  void addFromBundle(SpooledResource medication) {
    if (medication.fullUrl() != null) {
      inBundles.putIfAbsent(key(medication.file(), medication.fullUrl()), medication);
    }
    if (medication.id() != null) {
      inBundles.putIfAbsent(key(medication.file(), "Medication/" + medication.id()), medication);
    }
  }

  /** The Medication that {@code reference}, written in {@code file}, points to; null if none is known. */
  SpooledResource find(String file, String reference) {
    SpooledResource found = inBundles.get(key(file, reference));
    String id = idIn(reference);
    if (found == null && id != null) {
      found = inBundles.get(key(file, "Medication/" + id));
    }
    return found != null || id == null ? found : shared.get(id);
  }

  private static String idIn(String reference) {
    if (reference.startsWith(UUID_PREFIX)) {
      return reference.substring(UUID_PREFIX.length());
    }
    Matcher m = MEDICATION_REFERENCE.matcher(reference);
    return m.find() ? m.group(1) : null;
  }

  private static String key(String file, String reference) {
    return file + '\n' + reference;
  }
}
