package org.ketamineadvisor.sparkjob;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;

/**
 * The export's files, listed on the driver through Hadoop (any file system the cluster reads), with the app's rules:
 * a folder is searched recursively for *.json and *.ndjson (optionally .gz), in sorted order, a file is read as it
 * is, a file named twice is read once. A local input keeps the app's names (the path as given, then the file's path
 * under it), so that problems and sources read exactly as {@code screen}'s; a URI input is named by its URI.
 */
final class ExportListing {

  /** The files in reading order, and the folders that held none (problems, as the app reports them). */
  record Listed(List<ExportFile> files, List<InputProblem> problems) {
  }

  private ExportListing() {}

  static Listed list(List<String> inputs, Configuration hadoop) throws IOException {
    Map<String, ExportFile> files = new LinkedHashMap<>();
    List<InputProblem> problems = new ArrayList<>();
    for (String input : inputs) {
      org.apache.hadoop.fs.Path root = hadoopPath(input);
      FileSystem fs = root.getFileSystem(hadoop);
      FileStatus status;
      try {
        status = fs.getFileStatus(root);
      } catch (java.io.FileNotFoundException e) {
        problems.add(new InputProblem(input, "no such file or folder; check the path"));
        continue;
      }
      if (!status.isDirectory()) {
        String name = displayName(input, root, status.getPath(), fs);
        files.putIfAbsent(name, new ExportFile(fs.makeQualified(status.getPath()).toUri().toString(), name, 0));
        continue;
      }
      List<ExportFile> found = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> walk = fs.listFiles(root, true);
      while (walk.hasNext()) {
        LocatedFileStatus file = walk.next();
        if (file.isFile() && FhirFileReader.isFhirFileName(file.getPath().getName())) {
          found.add(new ExportFile(file.getPath().toUri().toString(), displayName(input, root, file.getPath(), fs),
              0));
        }
      }
      if (found.isEmpty()) {
        problems.add(new InputProblem(input,
            "folder holds no *.json or *.ndjson files (optionally .gz); nothing read from it"));
      }
      found.sort(Comparator.comparing(ExportFile::name, isLocal(input)
          ? Comparator.comparing((String name) -> Path.of(name)) : Comparator.naturalOrder()));
      found.forEach(file -> files.putIfAbsent(file.name(), file));
    }
    List<ExportFile> numbered = new ArrayList<>();
    for (ExportFile file : files.values()) {
      numbered.add(new ExportFile(file.uri(), file.name(), numbered.size()));
    }
    return new Listed(numbered, problems);
  }

  /** Whether {@code location} is a path on this machine: no scheme, or {@code file:}. */
  static boolean isLocal(String location) {
    String scheme = schemeOf(location);
    return scheme == null || "file".equals(scheme);
  }

  /** A local path (relative ones against the working directory) or a URI, as Hadoop's path. */
  static org.apache.hadoop.fs.Path hadoopPath(String location) {
    if (schemeOf(location) == null) {
      return new org.apache.hadoop.fs.Path(new File(location).getAbsoluteFile().toURI());
    }
    return new org.apache.hadoop.fs.Path(location);
  }

  private static String schemeOf(String location) {
    // a Windows drive ("C:\…") is a path, not a scheme
    if (location.matches("^[A-Za-z]:[\\\\/].*")) {
      return null;
    }
    try {
      return new URI(location).getScheme();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /**
   * The app's name of a file: for an input given as a path without a scheme, the path as given resolved with the
   * file's path below it ({@code ../export} + {@code Patient.ndjson}); otherwise the file's URI.
   */
  private static String displayName(String input, org.apache.hadoop.fs.Path root, org.apache.hadoop.fs.Path file,
      FileSystem fs) {
    if (schemeOf(input) != null) {
      return fs.makeQualified(file).toString();
    }
    Path rootPath = new File(fs.makeQualified(root).toUri()).toPath();
    Path filePath = new File(fs.makeQualified(file).toUri()).toPath();
    Path given = Path.of(input);
    return rootPath.equals(filePath) ? given.toString() : given.resolve(rootPath.relativize(filePath)).toString();
  }
}
