using System.Reflection;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// Reads a PgConnection property by name, so tests of properties issue 5 adds (IsSecure, AuthenticationMechanism,
/// Port) compile before the driver has them and fail, rather than break the build, until it does.
/// Replace with plain property access once they exist.
/// </summary>
internal static class DriverProperty
{
    public static T Get<T>(PgConnection connection, string name)
    {
        var property = typeof(PgConnection).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new Xunit.Sdk.XunitException($"PgConnection.{name} does not exist (yet).");
        try
        {
            return (T)property.GetValue(connection)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static bool IsSecure(PgConnection connection) => Get<bool>(connection, "IsSecure");

    public static string AuthenticationMechanism(PgConnection connection) => Get<string>(connection, "AuthenticationMechanism");
}
