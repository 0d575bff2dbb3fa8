using System.Text.Json.Serialization;

namespace CiliumDash.Contract;

/// <summary>One element of <c>/api/v1/findings</c> and of the <c>findings</c> hub topic.</summary>
/// <param name="Severity"><c>critical</c>, <c>warning</c> or <c>info</c>.</param>
/// <param name="Kind">e.g. <c>endpoint-unreachable</c>, <c>controller-failing</c>; names are added, never renamed.</param>
public sealed record FindingDto(
    string Id,
    string Severity,
    string Kind,
    FindingSubjectDto Subject,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hint,
    IReadOnlyList<EvidenceDto> Evidence,
    DateTimeOffset Since);

/// <summary>What a finding is about; only the parts that apply are written.</summary>
public sealed record FindingSubjectDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Peer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Controller,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Map,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Component);

/// <summary>One value behind a finding and where it was read ("cilium-health on fedora").</summary>
public sealed record EvidenceDto(string Source, string Value);

/// <summary>The generic JSON webhook body: findings that began or still hold (firing) and those that ended (resolved).</summary>
public sealed record WebhookPayloadDto(string Source, DateTimeOffset SentAt, IReadOnlyList<FindingDto> Firing, IReadOnlyList<FindingDto> Resolved);

/// <summary>Slack's incoming-webhook body.</summary>
public sealed record SlackMessageDto(string Text);
