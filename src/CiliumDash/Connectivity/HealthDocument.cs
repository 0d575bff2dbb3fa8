using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CiliumDash.Connectivity;

/// <summary>A piece of text in a <see cref="HealthDocument"/>'s character buffer; Length -1 = absent.</summary>
internal readonly record struct TextRef(int Start, int Length)
{
    public static readonly TextRef None = new(0, -1);

    public bool Present => Length >= 0;
}

/// <summary>One probe as read: state, raw latency, when it ran and the agent's error (or why it is invalid).</summary>
internal struct ProbeReading
{
    public ProbeState State;
    public double RttNs;
    public DateTimeOffset? Probed;
    public TextRef Error;
}

[InlineArray(4)]
internal struct PathReadings
{
    private ProbeReading _first;
}

/// <summary>One entry of <c>nodes[]</c>: the four primary-address probes, the addresses, and secondary failures.</summary>
internal struct PeerEntry
{
    public TextRef Name;
    public TextRef HostIp;
    public TextRef EndpointIp;
    public PathReadings Probes;

    /// <summary>The first failing secondary host address, as "address: error"; absent when all answer.</summary>
    public TextRef SecondaryHostError;

    public TextRef SecondaryEndpointError;
}

/// <summary>
/// A parsed <c>cilium-health status -o json</c>, held only while it is committed to the store: every string lives in
/// one pooled character buffer and every peer in one pooled array, so reading a 1,000-node report allocates no
/// per-string or per-peer objects.
/// </summary>
internal sealed class HealthDocument : IDisposable
{
    private char[] _text = ArrayPool<char>.Shared.Rent(4096);
    private int _textLength;
    private PeerEntry[] _peers = ArrayPool<PeerEntry>.Shared.Rent(64);
    private List<string>? _issues;

    public TextRef LocalName { get; set; } = TextRef.None;

    public TextRef ProbeInterval { get; set; } = TextRef.None;

    public DateTimeOffset? Timestamp { get; set; }

    public int Count { get; private set; }

    public IReadOnlyList<string> Issues => _issues ?? (IReadOnlyList<string>)[];

    public ref PeerEntry this[int index] => ref _peers[index];

    public ReadOnlySpan<char> Text(TextRef text) => text.Present ? _text.AsSpan(text.Start, text.Length) : default;

    public string? String(TextRef text) => text.Present ? new string(Text(text)) : null;

    /// <summary>Copies the reader's current string (unescaped) into the buffer.</summary>
    public TextRef Add(ref Utf8JsonReader reader)
    {
        // UTF-8 bytes (escaped or not) are never fewer than the UTF-16 chars they decode to.
        Ensure(reader.ValueSpan.Length);
        var length = reader.CopyString(_text.AsSpan(_textLength));
        var text = new TextRef(_textLength, length);
        _textLength += length;
        return text;
    }

    public TextRef Add(string value)
    {
        Ensure(value.Length);
        value.AsSpan().CopyTo(_text.AsSpan(_textLength));
        var text = new TextRef(_textLength, value.Length);
        _textLength += value.Length;
        return text;
    }

    public ref PeerEntry AddPeer()
    {
        if (Count == _peers.Length)
        {
            var bigger = ArrayPool<PeerEntry>.Shared.Rent(_peers.Length * 2);
            _peers.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<PeerEntry>.Shared.Return(_peers);
            _peers = bigger;
        }

        ref var peer = ref _peers[Count++];
        peer = new PeerEntry { Name = TextRef.None, HostIp = TextRef.None, EndpointIp = TextRef.None, SecondaryHostError = TextRef.None, SecondaryEndpointError = TextRef.None };
        return ref peer;
    }

    public void Issue(string message)
    {
        _issues ??= [];
        if (_issues.Count < 50)
        {
            _issues.Add(message);
        }
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_text);
        ArrayPool<PeerEntry>.Shared.Return(_peers, clearArray: false);
        _text = [];
        _peers = [];
    }

    private void Ensure(int more)
    {
        if (_textLength + more <= _text.Length)
        {
            return;
        }

        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_text.Length * 2, _textLength + more));
        _text.AsSpan(0, _textLength).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_text);
        _text = bigger;
    }
}
