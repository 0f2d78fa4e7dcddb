package org.ketamineadvisor.advisor.fhir.writing;

import java.util.List;

/**
 * What a confirmed follow-up changes (§ 8.3): the Goal's achievement ({@code in-progress}, {@code achieved},
 * {@code not-achieved}) and whether it is completed (after the 12-week follow-up), the pain scores it rests on,
 * whether the plan's session series is completed (after the last session), and whether the plan is completed.
 */
public record FollowUpUpdate(String achievement, boolean goalCompleted, List<String> scores,
    boolean sessionsCompleted, boolean planCompleted, String summary) {}
