using System.Text.Json;

namespace CiliumDash.Shared;

/// <summary>
/// The checks every agent and cilium-health document passes before it is read, and the wording of what went wrong,
/// so the status, health and metrics readers report broken input the same way.
/// </summary>
internal static class WireJson
{
    /// <summary>A real status document is tens of KB; larger ones are refused so the poller stays bounded.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Too large, or not UTF-8: the message naming the problem, or null when the bytes may be parsed.</summary>
    /// <param name="what">"status", "health": how the message names the document.</param>
    public static string? CheckBytes(ReadOnlySpan<byte> utf8, string what, int maxBytes)
    {
        if (utf8.Length > maxBytes)
        {
            return $"{what} document is {utf8.Length:N0} bytes, over the {maxBytes:N0}-byte limit";
        }

        return InvalidUtf8Offset(utf8) is { } bad ? $"{what} document is not valid UTF-8: byte 0x{utf8[bad]:X2} at offset {bad:N0}" : null;
    }

    /// <summary>Broken JSON, with where it broke (path, 1-based line, byte in the line).</summary>
    public static string Malformed(string what, JsonException ex) =>
        $"malformed {what} JSON at {ex.Path ?? "$"} (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}): {FirstSentence(ex.Message)}";

    /// <summary>An escaped lone surrogate (\ud800) passes the syntax check and fails only when the string is read.</summary>
    public static string NotUnicode(string what, Exception ex) =>
        $"{what} JSON has text that is not valid Unicode: {FirstSentence(ex.Message)}";

    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>System.Text.Json's messages go on to explain the path and position, which ours already name.</summary>
    public static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    /// <summary>
    /// JsonDocument and the serializer accept invalid UTF-8 inside strings and only fail when a string is read, so
    /// documents are checked first: the offset of the first bad byte, or null when the text is valid.
    /// </summary>
    public static int? InvalidUtf8Offset(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }
}
