using PgWire.Connection;
using PgWire.Types;

namespace PgWire;

/// <summary>What fills a <see cref="CommandRequest"/>: a command's text and parameters, a batch, a native call.</summary>
internal interface ICommandSource
{
    /// <summary>
    /// Checks the command text against the parameters (its placeholders, their names) before any value is bound, so
    /// that a mistake in them is reported before the connection does anything; throws ArgumentException.
    /// </summary>
    void ResolveText();

    /// <summary>Adds the statements to <paramref name="request"/>, each with its parameters bound (resolved and checked).</summary>
    void Fill(CommandRequest request, PgTypeRegistry registry);
}
