namespace SmartCommunity.Firmware.Tests.NanoBuild;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

/// <summary>
/// Lists every use of generics in an assembly's metadata. The nanoFramework build compiles our portable code
/// against nano's mscorlib, but the C# compiler happily emits generic definitions and instantiations that
/// nano's runtime and metadata processor (nanoCLR 1.x) cannot load, so STYLE.md §6 treats generics as suspect
/// even where they compile. This reads the metadata tables (ECMA-335 §II.22) rather than loading the assembly,
/// so it works on assemblies built against another corelib.
/// </summary>
/// <remarks>
/// Reported: generic type and method definitions (GenericParam owners), TypeSpec rows that instantiate a generic
/// type, MethodSpec rows, MemberRefs whose parent is such a TypeSpec, and generic instantiations written inline
/// in field, method, property, member-reference and local-variable signatures (these need no TypeSpec row).
/// </remarks>
public static class NanoGenericsCheck
{
    /// <summary>Readable findings, one per generic use, in metadata order without duplicates; empty when none.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static IReadOnlyList<string> FindGenericUses(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        return FindGenericUses(stream);
    }

    /// <inheritdoc cref="FindGenericUses(string)"/>
    public static IReadOnlyList<string> FindGenericUses(Stream peImage)
    {
        using PEReader pe = new PEReader(peImage, PEStreamOptions.LeaveOpen);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("The image has no .NET metadata.");
        }

        return new Scan(pe).Run();
    }

    /// <summary>A type as written in a signature: its readable name and whether it involves generics.</summary>
    private readonly record struct SignatureType(string Name, bool IsGeneric);

    private sealed class Scan
    {
        private readonly PEReader _pe;
        private readonly MetadataReader _metadata;
        private readonly SignatureNames _names = new SignatureNames();
        private readonly List<string> _findings = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        public Scan(PEReader pe)
        {
            _pe = pe;
            _metadata = pe.GetMetadataReader();
        }

        public IReadOnlyList<string> Run()
        {
            ScanTypeDefinitions();
            ScanTypeSpecifications();
            ScanMethodSpecifications();
            ScanMemberReferences();
            return _findings;
        }

        private void ScanTypeDefinitions()
        {
            foreach (TypeDefinitionHandle typeHandle in _metadata.TypeDefinitions)
            {
                TypeDefinition type = _metadata.GetTypeDefinition(typeHandle);
                string typeName = SignatureNames.NameOf(_metadata, typeHandle);
                if (type.GetGenericParameters().Count > 0)
                {
                    Report("generic type definition " + typeName + GenericParameterList(type.GetGenericParameters()));
                }

                foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
                {
                    FieldDefinition field = _metadata.GetFieldDefinition(fieldHandle);
                    SignatureType fieldType = field.DecodeSignature(_names, null);
                    if (fieldType.IsGeneric)
                    {
                        Report("field " + typeName + "::" + _metadata.GetString(field.Name) + " of type " + fieldType.Name);
                    }
                }

                foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
                {
                    PropertyDefinition property = _metadata.GetPropertyDefinition(propertyHandle);
                    MethodSignature<SignatureType> signature = property.DecodeSignature(_names, null);
                    if (IsGeneric(signature))
                    {
                        Report("property " + typeName + "::" + _metadata.GetString(property.Name) + " of type " + Describe(signature));
                    }
                }

                foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
                {
                    ScanMethodDefinition(typeName, _metadata.GetMethodDefinition(methodHandle));
                }
            }
        }

        private void ScanMethodDefinition(string typeName, MethodDefinition method)
        {
            string methodName = typeName + "::" + _metadata.GetString(method.Name);
            if (method.GetGenericParameters().Count > 0)
            {
                Report("generic method definition " + methodName + GenericParameterList(method.GetGenericParameters()));
            }

            MethodSignature<SignatureType> signature = method.DecodeSignature(_names, null);
            if (IsGeneric(signature))
            {
                Report("method " + methodName + " with signature " + Describe(signature));
            }

            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            StandaloneSignatureHandle localsHandle = _pe.GetMethodBody(method.RelativeVirtualAddress).LocalSignature;
            if (localsHandle.IsNil)
            {
                return;
            }

            StandaloneSignature locals = _metadata.GetStandaloneSignature(localsHandle);
            foreach (SignatureType local in locals.DecodeLocalSignature(_names, null))
            {
                if (local.IsGeneric)
                {
                    Report("local variable in " + methodName + " of type " + local.Name);
                }
            }
        }

        private void ScanTypeSpecifications()
        {
            int rows = _metadata.GetTableRowCount(TableIndex.TypeSpec);
            for (int row = 1; row <= rows; row++)
            {
                // A TypeSpec may also be a plain array or pointer type (e.g. byte[][] for newarr); only generic ones count.
                SignatureType type = Decode(MetadataTokens.TypeSpecificationHandle(row));
                if (type.IsGeneric)
                {
                    Report("generic instantiation (TypeSpec) " + type.Name);
                }
            }
        }

        private void ScanMethodSpecifications()
        {
            int rows = _metadata.GetTableRowCount(TableIndex.MethodSpec);
            for (int row = 1; row <= rows; row++)
            {
                MethodSpecification specification = _metadata.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
                ImmutableArray<SignatureType> arguments = specification.DecodeSignature(_names, null);
                Report("generic method instantiation (MethodSpec) " + MethodName(specification.Method) + "<" + JoinNames(arguments) + ">");
            }
        }

        private void ScanMemberReferences()
        {
            foreach (MemberReferenceHandle handle in _metadata.MemberReferences)
            {
                MemberReference member = _metadata.GetMemberReference(handle);
                string name = ParentName(member.Parent) + "::" + _metadata.GetString(member.Name);
                if (member.Parent.Kind == HandleKind.TypeSpecification && Decode((TypeSpecificationHandle)member.Parent).IsGeneric)
                {
                    Report("member of a generic instantiation (MemberRef) " + name);
                    continue;
                }

                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    SignatureType fieldType = member.DecodeFieldSignature(_names, null);
                    if (fieldType.IsGeneric)
                    {
                        Report("field reference " + name + " of type " + fieldType.Name);
                    }
                }
                else
                {
                    MethodSignature<SignatureType> signature = member.DecodeMethodSignature(_names, null);
                    if (IsGeneric(signature))
                    {
                        Report("method reference " + name + " with signature " + Describe(signature));
                    }
                }
            }
        }

        private SignatureType Decode(TypeSpecificationHandle handle) =>
            _metadata.GetTypeSpecification(handle).DecodeSignature(_names, null);

        private string MethodName(EntityHandle method)
        {
            if (method.Kind == HandleKind.MethodDefinition)
            {
                MethodDefinition definition = _metadata.GetMethodDefinition((MethodDefinitionHandle)method);
                return SignatureNames.NameOf(_metadata, definition.GetDeclaringType()) + "::" + _metadata.GetString(definition.Name);
            }

            MemberReference reference = _metadata.GetMemberReference((MemberReferenceHandle)method);
            return ParentName(reference.Parent) + "::" + _metadata.GetString(reference.Name);
        }

        private string ParentName(EntityHandle parent)
        {
            switch (parent.Kind)
            {
                case HandleKind.TypeDefinition:
                    return SignatureNames.NameOf(_metadata, (TypeDefinitionHandle)parent);
                case HandleKind.TypeReference:
                    return SignatureNames.NameOf(_metadata, (TypeReferenceHandle)parent);
                case HandleKind.TypeSpecification:
                    return Decode((TypeSpecificationHandle)parent).Name;
                case HandleKind.MethodDefinition:
                    return MethodName(parent);
                case HandleKind.ModuleReference:
                    return "[" + _metadata.GetString(_metadata.GetModuleReference((ModuleReferenceHandle)parent).Name) + "]";
                default:
                    return parent.Kind.ToString();
            }
        }

        private string GenericParameterList(GenericParameterHandleCollection parameters)
        {
            StringBuilder names = new StringBuilder("<");
            foreach (GenericParameterHandle handle in parameters)
            {
                if (names.Length > 1)
                {
                    names.Append(", ");
                }

                names.Append(_metadata.GetString(_metadata.GetGenericParameter(handle).Name));
            }

            return names.Append('>').ToString();
        }

        private void Report(string finding)
        {
            if (_seen.Add(finding))
            {
                _findings.Add(finding);
            }
        }

        private static bool IsGeneric(MethodSignature<SignatureType> signature)
        {
            if (signature.ReturnType.IsGeneric)
            {
                return true;
            }

            foreach (SignatureType parameter in signature.ParameterTypes)
            {
                if (parameter.IsGeneric)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Describe(MethodSignature<SignatureType> signature) =>
            signature.ReturnType.Name + " (" + JoinNames(signature.ParameterTypes) + ")";
    }

    private static string JoinNames(ImmutableArray<SignatureType> types)
    {
        StringBuilder names = new StringBuilder();
        foreach (SignatureType type in types)
        {
            if (names.Length > 0)
            {
                names.Append(", ");
            }

            names.Append(type.Name);
        }

        return names.ToString();
    }

    /// <summary>Turns signature blobs into readable names, marking anything that instantiates or refers to a generic parameter.</summary>
    private sealed class SignatureNames : ISignatureTypeProvider<SignatureType, object?>
    {
        public static string NameOf(MetadataReader metadata, TypeDefinitionHandle handle)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            string name = metadata.GetString(type.Name);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return NameOf(metadata, declaring) + "/" + name;
            }

            string space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public static string NameOf(MetadataReader metadata, TypeReferenceHandle handle)
        {
            TypeReference type = metadata.GetTypeReference(handle);
            string name = metadata.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return NameOf(metadata, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
            }

            string space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public SignatureType GetPrimitiveType(PrimitiveTypeCode typeCode) => new SignatureType("System." + typeCode, false);

        public SignatureType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            new SignatureType(NameOf(reader, handle), false);

        public SignatureType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            new SignatureType(NameOf(reader, handle), false);

        public SignatureType GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public SignatureType GetSZArrayType(SignatureType elementType) => elementType with { Name = elementType.Name + "[]" };

        public SignatureType GetArrayType(SignatureType elementType, ArrayShape shape) =>
            elementType with { Name = elementType.Name + "[" + new string(',', shape.Rank - 1) + "]" };

        public SignatureType GetByReferenceType(SignatureType elementType) => elementType with { Name = elementType.Name + "&" };

        public SignatureType GetPointerType(SignatureType elementType) => elementType with { Name = elementType.Name + "*" };

        public SignatureType GetPinnedType(SignatureType elementType) => elementType with { Name = elementType.Name + " pinned" };

        public SignatureType GetModifiedType(SignatureType modifier, SignatureType unmodifiedType, bool isRequired) =>
            new SignatureType(unmodifiedType.Name + (isRequired ? " modreq(" : " modopt(") + modifier.Name + ")", unmodifiedType.IsGeneric || modifier.IsGeneric);

        public SignatureType GetFunctionPointerType(MethodSignature<SignatureType> signature)
        {
            bool generic = signature.ReturnType.IsGeneric;
            foreach (SignatureType parameter in signature.ParameterTypes)
            {
                generic |= parameter.IsGeneric;
            }

            return new SignatureType("method " + signature.ReturnType.Name + " *(" + JoinNames(signature.ParameterTypes) + ")", generic);
        }

        public SignatureType GetGenericInstantiation(SignatureType genericType, ImmutableArray<SignatureType> typeArguments) =>
            new SignatureType(genericType.Name + "<" + JoinNames(typeArguments) + ">", true);

        public SignatureType GetGenericMethodParameter(object? genericContext, int index) => new SignatureType("!!" + index, true);

        public SignatureType GetGenericTypeParameter(object? genericContext, int index) => new SignatureType("!" + index, true);
    }
}
