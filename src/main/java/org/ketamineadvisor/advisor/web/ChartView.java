package org.ketamineadvisor.advisor.web;

import java.util.List;

/**
 * One chart of the page, as {@link VitalCharts} draws it: the SVG, and its data as a table (the fallback for screen
 * readers and print).
 */
record ChartView(String id, String heading, String svg, List<String> columns, List<List<String>> rows) {}
