package org.ketamineadvisor.advisor.fhir.bulk;

/** The server no longer knows the export job (404 or 410 on its status URL): a new kick-off is needed. */
final class JobGone extends BulkException {

  JobGone(int status) {
    super("the export job is gone on the server (HTTP " + status + ")");
  }
}
