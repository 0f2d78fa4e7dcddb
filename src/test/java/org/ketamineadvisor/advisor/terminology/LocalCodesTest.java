package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCodesTest {

  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path file = dir.resolve("site-codes.tsv");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void readsRowsSkippingCommentsAndBlankLines() throws IOException {
    LocalCodes codes =
        LocalCodes.read(
            file("# site additions\n" + LocalCodes.HEADER + "\n\n"
                + "glaucoma\thttp://snomed.info/sct\t23986001\tGlaucoma\tglaucoma\n"
                + "opioids\turn:oid:1.2.3\tOXY5\t\toxycodone\n"));
    assertThat(codes.codes()).hasSize(2);
    LocalCodes.LocalCode first = codes.codes().get(0);
    assertThat(first.valueSet()).isEqualTo(ValueSetId.GLAUCOMA);
    assertThat(first.code()).isEqualTo(new Code("http://snomed.info/sct", "23986001", "Glaucoma"));
    assertThat(first.group()).isEqualTo("glaucoma");
    assertThat(first.origin()).isEqualTo("site-codes.tsv line 4");
    assertThat(codes.codes().get(1).code().display()).isNull();
  }

  @Test
  void noneIsEmpty() {
    assertThat(LocalCodes.none().codes()).isEmpty();
  }

  @Test
  void wrongHeaderIsRejected() throws IOException {
    Path file = file("system\tcode\tdisplay\tgroup\n");
    assertThatThrownBy(() -> LocalCodes.read(file))
        .hasMessageContaining("site-codes.tsv line 1")
        .hasMessageContaining("header");
  }

  @Test
  void unknownValueSetIsRejectedNamingFileLineAndChoices() throws IOException {
    Path file = file(LocalCodes.HEADER + "\nopiods\thttp://x\t1\td\tmorphine\n");
    assertThatThrownBy(() -> LocalCodes.read(file))
        .hasMessageContaining("site-codes.tsv line 2")
        .hasMessageContaining("'opiods'")
        .hasMessageContaining("opioids");
  }

  @Test
  void wrongColumnCountAndMissingGroupAreRejected() throws IOException {
    Path fourColumns = file(LocalCodes.HEADER + "\nopioids\thttp://x\t1\tmorphine\n");
    assertThatThrownBy(() -> LocalCodes.read(fourColumns)).hasMessageContaining("line 2").hasMessageContaining("5 tab-separated");
    Path noGroup = file(LocalCodes.HEADER + "\nopioids\thttp://x\t1\tmorphine\t \n");
    assertThatThrownBy(() -> LocalCodes.read(noGroup)).hasMessageContaining("line 2").hasMessageContaining("group");
  }

  @Test
  void missingFileSaysWhichPath() {
    Path missing = dir.resolve("nope.tsv");
    assertThatThrownBy(() -> LocalCodes.read(missing)).hasMessageContaining(missing.toString());
  }
}
