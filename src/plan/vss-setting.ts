/** WindowsVSS is on when an EC2 AdvancedBackupSetting says "enabled"; off by default (vss-facts §2, BKP-API). */
export const vssEnabledIn = (settings: { ResourceType?: string | undefined; BackupOptions?: Record<string, string> | undefined }[] | undefined) =>
  (settings ?? []).some((s) => s.ResourceType === 'EC2' && s.BackupOptions?.['WindowsVSS'] === 'enabled');
