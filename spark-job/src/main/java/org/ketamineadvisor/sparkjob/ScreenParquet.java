package org.ketamineadvisor.sparkjob;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ketamineadvisor.advisor.screen.ScreenedPatient;
import org.ketamineadvisor.advisor.workspace.AppVersion;

/**
 * {@code OUT/parquet/}: the screen for the data lake, one row per assessed patient (the lines of screen.ndjson, flat),
 * written by the executors. Columns:
 * <ul>
 *   <li>{@code patient_id} string: the Patient resource's id</li>
 *   <li>{@code verdict} string: suitable, suitable-with-precautions, needs-information, contraindicated,
 *       not-indicated</li>
 *   <li>{@code deciding} array&lt;string&gt;: the rule ids that decide the verdict (as screen.ndjson's
 *       {@code deciding})</li>
 *   <li>{@code deciding_outcomes} array&lt;string&gt;: their outcomes (met, not-met, unknown), in the same order</li>
 *   <li>{@code missing} array&lt;string&gt;: the rule ids whose outcome is unknown (the data to chase)</li>
 *   <li>{@code on_worklist} boolean: whether worklist.csv lists the patient</li>
 *   <li>{@code protocol}, {@code sessions}, {@code dose_mg}: the planned protocol, or nulls</li>
 *   <li>{@code as_of} date: the date every window was measured back from</li>
 *   <li>{@code rule_set} string: the rules' version ({@link AppVersion#RULE_SET})</li>
 *   <li>{@code source} string: the files the patient was read from</li>
 * </ul>
 * Patients without a neuropathic pain condition are not rows (they are counted in counts.json), as they are not lines
 * of screen.ndjson.
 */
final class ScreenParquet {

  static final StructType SCHEMA = new StructType()
      .add("patient_id", DataTypes.StringType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("deciding", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("deciding_outcomes", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("missing", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("on_worklist", DataTypes.BooleanType, false)
      .add("protocol", DataTypes.StringType, true)
      .add("sessions", DataTypes.IntegerType, true)
      .add("dose_mg", DataTypes.IntegerType, true)
      .add("as_of", DataTypes.DateType, false)
      .add("rule_set", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false);

  private ScreenParquet() {}

  /** Writes the assessed patients of {@code screened} as Parquet into {@code folder} (a Hadoop URI, not existing). */
  static void write(SparkSession spark, JavaRDD<ScreenedPatient> screened, LocalDate asOf, String folder) {
    Date date = Date.valueOf(asOf);
    String ruleSet = AppVersion.RULE_SET;
    JavaRDD<Row> rows = screened.filter(ScreenedPatient::assessed).map(p -> RowFactory.create(p.patientId(),
        p.verdict().code(), p.deciding().stream().map(r -> r.rule()).toArray(String[]::new),
        p.deciding().stream().map(r -> r.outcome()).toArray(String[]::new), p.missing().toArray(String[]::new), p.worklistRow() != null, p.protocol(), p.sessions(), p.doseMg(), date,
        ruleSet, p.source()));
    spark.createDataFrame(rows, SCHEMA).write().parquet(folder);
  }

  /** The column names, for the Javadoc's readers and the tests. */
  static List<String> columns() {
    return List.of(SCHEMA.fieldNames());
  }
}
