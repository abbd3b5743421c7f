using SmartCommunity.Installer;

return await InstallerApp.RunAsync(args);
