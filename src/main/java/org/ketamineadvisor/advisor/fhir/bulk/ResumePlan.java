package org.ketamineadvisor.advisor.fhir.bulk;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.bulk.Manifest.ExportFile;

/**
 * Where a screen started with an existing {@code --out} picks up: a new kick-off when nothing was started, polling
 * the saved status URL while no manifest came, otherwise the manifest's files, keeping every file whose size and
 * SHA-256 match what was recorded at its completion and downloading only the rest. A finished export with every file
 * intact needs no request at all.
 *
 * @param statusUrl the job to poll (POLL) or to delete at the end (DOWNLOAD)
 * @param manifest the manifest when one was received
 */
public record ResumePlan(Step step, URI statusUrl, Manifest manifest, List<ExportFile> kept,
    List<ExportFile> toDownload) {

  /** The next thing to do. */
  public enum Step { KICK_OFF, POLL, DOWNLOAD, DONE }

  public ResumePlan {
    kept = List.copyOf(kept);
    toDownload = List.copyOf(toDownload);
  }

  /** Decides from the saved state (if any) and the files in {@code exportDir}. */
  public static ResumePlan decide(Optional<ExportState> saved, Path exportDir) throws BulkException {
    if (saved.isEmpty() || saved.get().statusUrl().isEmpty()) {
      return new ResumePlan(Step.KICK_OFF, null, null, List.of(), List.of());
    }
    ExportState state = saved.get();
    URI statusUrl = URI.create(state.statusUrl().get());
    if (state.manifest().isEmpty()) {
      return new ResumePlan(Step.POLL, statusUrl, null, List.of(), List.of());
    }
    Manifest manifest = Manifest.from(state.manifest().get(), statusUrl);
    List<ExportFile> kept = new ArrayList<>();
    List<ExportFile> toDownload = new ArrayList<>();
    for (ExportFile file : manifest.files()) {
      ExportState.FileRecord record = state.files().get(file.name());
      if (record != null && FileDigest.matches(exportDir.resolve(file.name()), record)) {
        kept.add(file);
      } else {
        toDownload.add(file);
      }
    }
    Step step = state.finished() && toDownload.isEmpty() ? Step.DONE : Step.DOWNLOAD;
    return new ResumePlan(step, statusUrl, manifest, kept, toDownload);
  }
}
