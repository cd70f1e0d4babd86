SELECT 'demo' AS placeholder;
