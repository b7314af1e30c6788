namespace PgWire.Protocol.Backend;

/// <summary>The request codes of the Authentication ('R') message family.</summary>
internal enum AuthenticationRequestType
{
    Ok = 0,
    KerberosV5 = 2,
    CleartextPassword = 3,
    MD5Password = 5,
    GSS = 7,
    GSSContinue = 8,
    SSPI = 9,
    SASL = 10,
    SASLContinue = 11,
    SASLFinal = 12,
}

/// <summary>An Authentication ('R') message: what the server asks for next, and its data.</summary>
internal readonly ref struct AuthenticationRequest
{
    public AuthenticationRequestType Type { get; }

    /// <summary>The MD5 salt, or the SASL data of SASLContinue/SASLFinal.</summary>
    public ReadOnlySpan<byte> Data { get; }

    private AuthenticationRequest(AuthenticationRequestType type, ReadOnlySpan<byte> data)
    {
        Type = type;
        Data = data;
    }

    public static AuthenticationRequest Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.Authentication);
        var type = (AuthenticationRequestType)reader.ReadInt32();
        switch (type)
        {
            case AuthenticationRequestType.Ok:
            case AuthenticationRequestType.CleartextPassword:
                reader.ExpectEnd();
                return new AuthenticationRequest(type, default);
            case AuthenticationRequestType.MD5Password:
                var salt = reader.ReadBytes(4);
                reader.ExpectEnd();
                return new AuthenticationRequest(type, salt);
            default:
                return new AuthenticationRequest(type, reader.ReadBytes(reader.Remaining));
        }
    }

    /// <summary>The mechanism names of an AuthenticationSASL message's data.</summary>
    public static List<string> ParseMechanisms(ReadOnlySpan<byte> data)
    {
        var reader = new MessageReader(data, BackendMessageCode.Authentication);
        var mechanisms = new List<string>();
        while (true)
        {
            string name = reader.ReadCString();
            if (name.Length == 0) break;
            mechanisms.Add(name);
        }
        reader.ExpectEnd();
        return mechanisms;
    }
}
