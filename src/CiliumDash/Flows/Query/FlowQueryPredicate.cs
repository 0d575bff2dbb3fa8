using System.Buffers;
using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;

namespace CiliumDash.Flows.Query;

/// <summary>Which table's slots a per-scan cache is indexed by.</summary>
internal enum MemoKind
{
    Endpoint,
    Address,
    Context,
}

/// <summary>
/// A query compiled to a predicate over window rows, with Hubble's semantics (<see cref="FlowFilterValues"/>, shared
/// with the relay stand-in's protobuf matcher): a row passes when any whitelist filter holds (or there is none), no
/// blacklist filter holds, and, for a team, one of its endpoints is in the team's namespaces. A filter on a shared value
/// (an endpoint, an address, the flow's context) is answered once per value and scan through a <see cref="ScanMemo"/>.
/// Immutable: one instance serves any number of concurrent scans.
/// </summary>
internal sealed class FlowQueryPredicate
{
    private readonly RowCheck[][] _allow;
    private readonly RowCheck[][] _deny;
    private readonly RowCheck? _scope;

    private FlowQueryPredicate(RowCheck[][] allow, RowCheck[][] deny, RowCheck? scope, IReadOnlyList<MemoKind> memos)
    {
        _allow = allow;
        _deny = deny;
        _scope = scope;
        Memos = memos;
    }

    /// <summary>The per-scan caches this predicate uses, by index.</summary>
    public IReadOnlyList<MemoKind> Memos { get; }

    /// <summary>Compiles the filters; throws <see cref="FlowFilterException"/> for a bad value or a field the row lacks.</summary>
    public static FlowQueryPredicate Compile(IEnumerable<FlowFilter> whitelist, IEnumerable<FlowFilter> blacklist, IReadOnlySet<string>? namespaces = null)
    {
        var memos = new List<MemoKind>();
        var allow = whitelist.Select(f => RowChecks.Compile(f, memos)).ToArray();
        var deny = blacklist.Select(f => RowChecks.Compile(f, memos)).ToArray();
        RowCheck? scope = null;
        if (namespaces is not null)
        {
            memos.Add(MemoKind.Endpoint);
            scope = new ScopeCheck(namespaces, memos.Count - 1);
        }

        return new FlowQueryPredicate(allow, deny, scope, memos);
    }

    /// <summary>Whether the row passes; <paramref name="memo"/> (from <see cref="ScanMemo.Rent"/>) caches per shared value, or null.</summary>
    public bool Matches(in FlowRow row, ScanMemo? memo)
    {
        if (_allow.Length > 0 && !Any(_allow, row, memo))
        {
            return false;
        }

        if (_deny.Length > 0 && Any(_deny, row, memo))
        {
            return false;
        }

        return _scope is null || _scope.Test(row, memo);
    }

    private static bool Any(RowCheck[][] filters, in FlowRow row, ScanMemo? memo)
    {
        foreach (var checks in filters)
        {
            if (All(checks, row, memo))
            {
                return true;
            }
        }

        return false;
    }

    private static bool All(RowCheck[] checks, in FlowRow row, ScanMemo? memo)
    {
        foreach (var check in checks)
        {
            if (!check.Test(row, memo))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A team sees a flow when either end is in one of its namespaces (a flow without an endpoint has namespace "").</summary>
    private sealed class ScopeCheck(IReadOnlySet<string> namespaces, int memo) : RowCheck
    {
        public override bool Test(in FlowRow row, ScanMemo? m) => Allowed(row.Source, m) || Allowed(row.Destination, m);

        private bool Allowed(EndpointInfo? e, ScanMemo? m)
        {
            if (e is null)
            {
                return namespaces.Contains("");
            }

            var cached = m?.Answer(memo, e.Slot) ?? 0;
            return cached != 0 ? cached == 2 : Remember(m, memo, e.Slot, namespaces.Contains(e.Namespace));
        }
    }
}

/// <summary>
/// One scan's cache of filter answers per shared value: one byte per slot (0 = not asked yet, 1 = no, 2 = yes) per
/// cached check. Pooled; sized from the tables when the scan starts (a slot beyond that is simply not cached).
/// </summary>
internal sealed class ScanMemo : IDisposable
{
    private readonly byte[][] _answers;
    private readonly int[] _lengths;

    private ScanMemo(byte[][] answers, int[] lengths)
    {
        _answers = answers;
        _lengths = lengths;
    }

    public static ScanMemo? Rent(FlowQueryPredicate? predicate, (int Endpoints, int Addresses, int Contexts) slots)
    {
        if (predicate is null || predicate.Memos.Count == 0)
        {
            return null;
        }

        var lengths = predicate.Memos.Select(k => k switch
        {
            MemoKind.Endpoint => slots.Endpoints,
            MemoKind.Address => slots.Addresses,
            _ => slots.Contexts,
        }).ToArray();
        var answers = lengths.Select(n =>
        {
            var a = ArrayPool<byte>.Shared.Rent(Math.Max(1, n));
            Array.Clear(a, 0, n);
            return a;
        }).ToArray();
        return new ScanMemo(answers, lengths);
    }

    /// <summary>0 when not cached, else 1 (no) or 2 (yes).</summary>
    public byte Answer(int memo, int slot) => (uint)slot < (uint)_lengths[memo] ? _answers[memo][slot] : (byte)0;

    public bool Remember(int memo, int slot, bool answer)
    {
        if ((uint)slot < (uint)_lengths[memo])
        {
            _answers[memo][slot] = answer ? (byte)2 : (byte)1;
        }

        return answer;
    }

    public void Dispose()
    {
        foreach (var a in _answers)
        {
            ArrayPool<byte>.Shared.Return(a);
        }
    }
}
