"""The Access requests screens: the tab (`tab`, with its `table` and `detail`), the request form
(`dialog`), the step dialogs and menu (`actions`, made from domain.workflow.STEPS), a deadline's
steps as a list (`steps`), and the letters window and the day's batch (`letters`,
`letter_batch`). Import from the module itself: the tab is loaded only when first shown."""
